/**
 * Test helper: metric trajectories (no embeddings) for the onset detector and the
 * decision policy, computed exactly from power-law spectra `s_i = (i + 1)^-beta` of
 * dimension `d` with collapse-metrics, plus measurement noise.
 */
import { spectrumMetrics } from '@siamwatch/collapse-metrics';
import type { OutputSummary } from '../forecast-features.ts';
import type { OnsetInput } from '../onset-detector.ts';
import type { Random } from '../random.ts';

/** Spectrum summary of a power law of exponent `beta` keeping `rank` directions (the rest scaled by `tail`). */
export function powerLawSummary(beta: number, d: number, rank = d, tail = 1, normalizedStd = 0.8): OutputSummary {
  const s = Array.from({ length: d }, (_, i) => (i + 1) ** -beta * (i < rank ? 1 : tail));
  const m = spectrumMetrics(s);
  return { auc: m.auc, rankme: m.rankme, alpha: m.alpha, stableRank: m.stableRank, normalizedStd, dim: d };
}

/** Multiplies rank and std by log-normal noise and jitters AUC and loss. */
export function noisy(input: OnsetInput, random: Random, scale = 1): OnsetInput {
  const b = input.backbone;
  if (!b) return input;
  return {
    ...input,
    loss: input.loss + 0.02 * scale * random.normal(),
    backbone: {
      ...b,
      auc: b.auc + 0.01 * scale * random.normal(),
      rankme: b.rankme * Math.exp(0.05 * scale * random.normal()),
      normalizedStd: (b.normalizedStd ?? 0.8) * Math.exp(0.05 * scale * random.normal()),
    },
  };
}

/** The healthy MNIST-like trajectory of the notes: AUC ~0.65 -> ~0.78, RankMe 55 -> 35 at d = 64, loss -0.3 -> -0.9. */
export function healthyInput(check: number, checks: number, d = 64): OnsetInput {
  const s = (1 - Math.exp((-4 * check) / checks)) / (1 - Math.exp(-4));
  return { step: check * 100, loss: -0.3 - 0.6 * s, backbone: powerLawSummary(0.5 + 0.4 * s, d, d, 1, 0.85 - 0.2 * s) };
}

/** Healthy until check `onset`, then partial collapse over `span` checks (4 directions left, std falls, loss -> -0.99). */
export function collapsingInput(check: number, checks: number, onset: number, span = 5, d = 64): OnsetInput {
  const base = healthyInput(Math.min(check, onset), checks, d);
  if (check <= onset) return base;
  const c = Math.min(1, (check - onset) / span);
  const bb = base.backbone ?? powerLawSummary(0.9, d);
  return {
    step: check * 100,
    loss: base.loss + (-0.99 - base.loss) * c,
    backbone: powerLawSummary(0.9 + 1.2 * c, d, Math.max(4, Math.round(d * (1 - c))), 1 - 0.95 * c, (bb.normalizedStd ?? 0.8) * (1 - 0.7 * c)),
  };
}
