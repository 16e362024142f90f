/**
 * Test helper: the documented synthetic corpus the placeholder default calibration is
 * fitted from (see docs/monitor.md). It is NOT measured data. Each run draws:
 * - model size `P ~ logU(1e5, 1e7)` parameters and data size `N ~ logU(5e3, 6e4)`;
 * - a collapse risk `sigmoid(1.2 (ln N - ln 2e4) - 1.2 (ln P - ln 1e6) - 1)` (small
 *   models on much data collapse more, the paper's finding) and, if it collapses, an
 *   onset at progress U(0.3, 0.8);
 * - a final healthy backbone AUC `a_f ~ 0.70 + U(0, 0.12)`, starting AUC
 *   `0.62 + U(0, 0.06)`, approached as `1 - exp(-4 p)`;
 * - log RankMe `ln d - 3.5 (auc - 0.6) - 8 max(auc - 0.75, 0)^2` (power-law spectra at
 *   d = 64), loss `-0.3 -> -0.9`, normalised std ~0.85; after an onset, AUC -> 0.97,
 *   RankMe -> 1.5, loss -> -0.999, std -> 0.05;
 * - final accuracy `0.90 - 0.6 (a_f - 0.76) + 0.015 ln(P / 1e6) + 0.01 ln(N / 2e4)`,
 *   minus 0.35 x (collapsed share of training), plus N(0, 0.012) noise, clipped to [0, 1].
 * Every check adds measurement noise (AUC +-0.008, log RankMe +-0.04, loss +-0.02).
 */
import type { CalibrationRun } from '../calibration.ts';
import type { TrajectoryPoint } from '../forecast-features.ts';
import { createRandom } from '../random.ts';

/** Options of {@link syntheticCorpus}. */
export interface SyntheticCorpusOptions {
  runs: number;
  seed: number;
  /** Checks per run (evenly spaced, the first at step 0). Default 21. */
  checks?: number;
  d?: number;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Generates `runs` synthetic calibration runs (deterministic for a seed). */
export function syntheticCorpus(options: SyntheticCorpusOptions): CalibrationRun[] {
  const random = createRandom(options.seed);
  const d = options.d ?? 64;
  const count = options.checks ?? 21;
  const totalSteps = 2000;
  const runs: CalibrationRun[] = [];
  for (let r = 0; r < options.runs; r++) {
    const logP = Math.log(1e5) + random.next() * Math.log(100);
    const logN = Math.log(5e3) + random.next() * Math.log(12);
    const risk = sigmoid(1.2 * (logN - Math.log(2e4)) - 1.2 * (logP - Math.log(1e6)) - 1);
    const onset = random.next() < risk ? 0.3 + 0.5 * random.next() : Number.POSITIVE_INFINITY;
    const aucFinal = 0.7 + 0.12 * random.next();
    const aucStart = 0.62 + 0.06 * random.next();
    const lossFinal = -0.85 - 0.08 * random.next();
    const checks: TrajectoryPoint[] = [];
    for (let c = 0; c < count; c++) {
      const p = c / (count - 1);
      const s = (1 - Math.exp(-4 * p)) / (1 - Math.exp(-4));
      let auc = aucStart + (aucFinal - aucStart) * s;
      let loss = -0.3 + (lossFinal + 0.3) * s;
      let std = 0.85;
      let logRank = Math.log(d) - 3.5 * (auc - 0.6) - 8 * Math.max(auc - 0.75, 0) ** 2;
      if (p > onset) {
        const k = Math.min(1, (p - onset) / 0.2);
        auc += (0.97 - auc) * k;
        loss += (-0.999 - loss) * k;
        std += (0.05 - std) * k;
        logRank += (Math.log(1.5) - logRank) * k;
      }
      checks.push({
        step: Math.round(p * totalSteps),
        totalSteps,
        loss: loss + 0.02 * random.normal(),
        backbone: {
          auc: auc + 0.008 * random.normal(),
          rankme: Math.exp(logRank + 0.04 * random.normal()),
          alpha: 0.25 + 2 * (auc - 0.6) + 0.03 * random.normal(),
          normalizedStd: std + 0.02 * random.normal(),
          dim: d,
        },
      });
    }
    const collapsedShare = Number.isFinite(onset) ? 1 - onset : 0;
    const accuracy =
      0.9 - 0.6 * (aucFinal - 0.76) + 0.015 * (logP - Math.log(1e6)) + 0.01 * (logN - Math.log(2e4)) - 0.35 * collapsedShare + 0.012 * random.normal();
    runs.push({
      id: `synthetic-${options.seed}-${r}`,
      checks,
      finalLinearProbeAccuracy: Math.min(1, Math.max(0, accuracy)),
      modelParams: Math.round(Math.exp(logP)),
      dataSize: Math.round(Math.exp(logN)),
      label: Number.isFinite(onset) ? 'collapsed' : 'healthy',
    });
  }
  return runs;
}

/** The corpus and options the shipped `calibration/default.json` is fitted from. */
export const DEFAULT_CALIBRATION_CORPUS: SyntheticCorpusOptions = { runs: 160, seed: 20221023 };

/** Fixed `createdAt` of the shipped placeholder, so that refitting reproduces the file exactly. */
export const DEFAULT_CALIBRATION_CREATED_AT = '2026-11-29T00:00:00.000Z';
