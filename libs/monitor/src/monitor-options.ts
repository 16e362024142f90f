import type { Calibration } from './calibration.ts';
import type { DecisionOptions, Policy } from './decision-policy.ts';
import type { RunContext } from './forecast-features.ts';
import { requireIntegerInRange, requireNumberInRange } from './monitor-error.ts';
import type { OnsetOptions } from './onset-options.ts';
import type { SamplingOptions } from './sampling-options.ts';

/**
 * Options of {@link createMonitor}; every field is optional.
 * - `checkEvery` (K, default 100): `due(step)` is true every K steps (never at step 0).
 * - `maxOverhead` (default 0.01): cost governor. A due check is skipped while the
 *   previous check's duration exceeds this fraction of the wall time elapsed since it
 *   ended, so the monitor never takes more than ~1% of training time whatever d and
 *   K are. Set 1 to check at every K-th step regardless of cost.
 * - `sampling`: see `SamplingOptions` (default: reservoir of 1024 rows per output).
 * - `calibration`: forecast calibration (default: the shipped `calibration/default.json`).
 * - `forecastLevel`: prediction-interval level (default 0.9).
 * - `policy`: `observe` (default; decisions are reported, `action` is `none`) or `act`.
 * - `onset`: onset detector thresholds (see `DEFAULT_ONSET_OPTIONS`).
 * - `decision`: decision policy windows (see `DEFAULT_DECISION_OPTIONS`).
 * - `expectedTrajectory`: judge backbone RankMe against the calibration's expected healthy
 *   trajectory (default: true unless the calibration is a `synthetic-placeholder`).
 * - `context`: model parameter count, data size and method (`simsiam`, default, or `byol`), if known (size
 *   also settable per check). The method sets the onset detector's loss floor and scale and is a forecast feature.
 */
export interface MonitorOptions {
  checkEvery?: number;
  maxOverhead?: number;
  sampling?: Partial<SamplingOptions>;
  calibration?: Calibration;
  forecastLevel?: number;
  policy?: Policy;
  onset?: Partial<OnsetOptions>;
  decision?: Partial<Omit<DecisionOptions, 'policy'>>;
  expectedTrajectory?: boolean;
  context?: RunContext;
}

/** Default check interval K in steps. */
export const DEFAULT_CHECK_EVERY = 100;

/** Default cost budget of the monitor's checks, as a fraction of wall time. */
export const DEFAULT_MAX_OVERHEAD = 0.01;

/** Default prediction-interval level of the forecast. */
export const DEFAULT_FORECAST_LEVEL = 0.9;

/** Validates the scalar monitor options and fills their defaults. */
export function resolveMonitorScalars(options: MonitorOptions): { checkEvery: number; maxOverhead: number; forecastLevel: number; policy: Policy } {
  return {
    checkEvery: requireIntegerInRange('checkEvery', options.checkEvery ?? DEFAULT_CHECK_EVERY, 1, 1e9),
    maxOverhead: requireNumberInRange('maxOverhead', options.maxOverhead ?? DEFAULT_MAX_OVERHEAD, 1e-6, 1),
    forecastLevel: requireNumberInRange('forecastLevel', options.forecastLevel ?? DEFAULT_FORECAST_LEVEL, 1e-6, 1 - 1e-6),
    policy: options.policy ?? 'observe',
  };
}
