import { MonitorError, requireIntegerInRange, requireNumberInRange } from './monitor-error.ts';

/**
 * Thresholds of one onset signal. A signal turns on at `suspect`, counts as
 * collapse-level beyond `collapse`, and (hysteresis) turns off only once it is back
 * past `release`, which lies on the healthy side of `suspect`.
 */
export interface SignalThresholds {
  suspect: number;
  collapse: number;
  release: number;
}

/** Options of the collapse-onset detector (all optional in {@link createOnsetDetector}). */
export interface OnsetOptions {
  /** Checks that only build baselines; no state change before this many checks. Default 4. */
  warmupChecks: number;
  /** Consecutive checks of evidence needed to escalate (healthy -> suspect -> collapsing). Default 3. */
  evidenceChecks: number;
  /** Consecutive checks without evidence needed to de-escalate one state. Default 3. */
  recoveryChecks: number;
  /** Distinct signal kinds that must agree for evidence (a severe collapse counts alone). Default 2. */
  minSignals: number;
  /** Each metric is the median of its last `smoothing` checks before it is judged. Default 3. */
  smoothing: number;
  /** RankMe / its running peak (falls): suspect < 0.5, collapse < 0.25, release > 0.6. */
  rankDrop: SignalThresholds;
  /** (AUC - running minimum) / (1 - running minimum) (rises): suspect > 0.5, collapse > 0.75, release < 0.4. */
  aucRise: SignalThresholds;
  /** normalised-output std / its running peak (falls): suspect < 0.5, collapse < 0.2, release > 0.6. */
  stdDrop: SignalThresholds;
  /** (Loss minus `lossFloor`) / `lossScale`, i.e. `1 - cos` (falls): suspect < 0.02, collapse < 0.005, release > 0.03. */
  lossNearFloor: SignalThresholds;
  /** Loss at complete collapse: -1 for SimSiam's negative cosine, 0 for BYOL's 2 - 2 cos. Default -1 (the monitor sets it per method). */
  lossFloor: number;
  /** Loss units per unit of `1 - cos` (1 SimSiam, 2 BYOL): `lossNearFloor` compares `(loss - lossFloor) / lossScale`. Default 1. */
  lossScale: number;
  /** z-score of backbone log RankMe against the calibration's expected trajectory: suspect < -3, collapse < -5, release > -2. */
  belowExpected: SignalThresholds;
  /** Severe collapse: projector normalised std x sqrt(d) below `normalizedStd` (0.05) or RankMe of either output below `rankme` (1.5). */
  severe: { normalizedStd: number; rankme: number };
}

/** The defaults of {@link OnsetOptions}. */
export const DEFAULT_ONSET_OPTIONS: Readonly<OnsetOptions> = Object.freeze({
  warmupChecks: 4,
  evidenceChecks: 3,
  recoveryChecks: 3,
  minSignals: 2,
  smoothing: 3,
  rankDrop: { suspect: 0.5, collapse: 0.25, release: 0.6 },
  aucRise: { suspect: 0.5, collapse: 0.75, release: 0.4 },
  stdDrop: { suspect: 0.5, collapse: 0.2, release: 0.6 },
  lossNearFloor: { suspect: 0.02, collapse: 0.005, release: 0.03 },
  lossFloor: -1,
  lossScale: 1,
  belowExpected: { suspect: -3, collapse: -5, release: -2 },
  severe: { normalizedStd: 0.05, rankme: 1.5 },
});

function thresholds(name: string, t: SignalThresholds, direction: 'falls' | 'rises'): SignalThresholds {
  for (const key of ['suspect', 'collapse', 'release'] as const) requireNumberInRange(`${name}.${key}`, t[key], -1e6, 1e6);
  const ordered = direction === 'falls' ? t.collapse <= t.suspect && t.suspect <= t.release : t.collapse >= t.suspect && t.suspect >= t.release;
  if (!ordered) {
    throw new MonitorError(
      'invalid-option',
      `${name} thresholds must be ordered ${direction === 'falls' ? 'collapse <= suspect <= release' : 'collapse >= suspect >= release'}, got ${JSON.stringify(t)}`,
    );
  }
  return { ...t };
}

/** Merges `partial` over {@link DEFAULT_ONSET_OPTIONS} and validates it (throws `MonitorError('invalid-option')`). */
export function resolveOnsetOptions(partial: Partial<OnsetOptions> = {}): OnsetOptions {
  const o = { ...DEFAULT_ONSET_OPTIONS, ...partial };
  return {
    warmupChecks: requireIntegerInRange('onset.warmupChecks', o.warmupChecks, 0, 1e6),
    evidenceChecks: requireIntegerInRange('onset.evidenceChecks', o.evidenceChecks, 1, 1e6),
    recoveryChecks: requireIntegerInRange('onset.recoveryChecks', o.recoveryChecks, 1, 1e6),
    minSignals: requireIntegerInRange('onset.minSignals', o.minSignals, 1, 5),
    smoothing: requireIntegerInRange('onset.smoothing', o.smoothing, 1, 1000),
    rankDrop: thresholds('onset.rankDrop', o.rankDrop, 'falls'),
    aucRise: thresholds('onset.aucRise', o.aucRise, 'rises'),
    stdDrop: thresholds('onset.stdDrop', o.stdDrop, 'falls'),
    lossNearFloor: thresholds('onset.lossNearFloor', o.lossNearFloor, 'falls'),
    lossFloor: requireNumberInRange('onset.lossFloor', o.lossFloor, -1e6, 1e6),
    lossScale: requireNumberInRange('onset.lossScale', o.lossScale, 1e-6, 1e6),
    belowExpected: thresholds('onset.belowExpected', o.belowExpected, 'falls'),
    severe: {
      normalizedStd: requireNumberInRange('onset.severe.normalizedStd', o.severe.normalizedStd, 0, 1),
      rankme: requireNumberInRange('onset.severe.rankme', o.severe.rankme, 0, 1e6),
    },
  };
}
