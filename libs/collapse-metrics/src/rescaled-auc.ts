/**
 * The spectrum AUC on a scale that does not depend on the feature width: the AUC of a flat d-dimensional
 * spectrum is (d + 1) / (2 d) (0.531 at d = 16, 0.508 at d = 64, 0.501 at d = 512), so raw AUCs of
 * features of different widths are not comparable. Rescaled, 0 is flat (no collapse) and 1 rank one.
 */
import { CollapseMetricsError } from './collapse-metrics-error.ts';

function checkDim(d: number): void {
  if (!Number.isSafeInteger(d) || d < 1) throw new CollapseMetricsError('zero-dim', `feature width d must be a positive integer, got ${String(d)}`);
}

/** The AUC of a perfectly flat d-dimensional spectrum, `(d + 1) / (2 d)`: the floor of {@link spectrumAuc}. */
export function aucFloor(d: number): number {
  checkDim(d);
  return (d + 1) / (2 * d);
}

/**
 * `(auc - floor) / (1 - floor)` with `floor = aucFloor(d)`: 0 for a flat spectrum, 1 for rank one, whatever d.
 * d = 1 (floor 1) gives 1 (a single dimension is rank one). Throws `bad-option` for an AUC outside
 * [0, 1] or non-finite, `zero-dim` for a bad d.
 */
export function rescaledAuc(auc: number, d: number): number {
  const floor = aucFloor(d);
  if (!Number.isFinite(auc) || auc < 0 || auc > 1) throw new CollapseMetricsError('bad-option', `auc must be a finite number in [0, 1], got ${String(auc)}`);
  if (floor === 1) return 1;
  return (auc - floor) / (1 - floor);
}
