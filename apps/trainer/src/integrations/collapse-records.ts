import type { OutputMetrics } from '@siamwatch/monitor';
import type { CollapseRecord, OutputName } from '@siamwatch/telemetry';
import type { SpectrumSummary } from '../eval/evaluate.ts';

/** Raised when a metrics object cannot become a telemetry collapse record; the message names the bad value. */
export class CollapseRecordError extends Error {
  override readonly name = 'CollapseRecordError';
}

/**
 * Telemetry collapse record of one evaluation spectrum (the probe set's `n x d` backbone or projector
 * features): spectrum AUC (Li, Efros & Pathak 2022, Eq. 2; ~0.5 flat, 1 rank one), RankMe as the
 * effective rank, stable rank, alpha, the unscaled std of the L2-normalised rows (~1/sqrt(d) healthy,
 * 0 collapsed) and the singular values for the live spectrum chart.
 */
export function collapseRecordFromSpectrum(step: number, output: OutputName, s: SpectrumSummary): CollapseRecord {
  if (!(s.dim > 0)) throw new CollapseRecordError(`${output} spectrum at step ${step} has dimension ${s.dim}`);
  return {
    step,
    output,
    auc: s.auc,
    effectiveRank: s.rankme,
    stableRank: s.stableRank,
    alpha: s.alpha,
    normalizedOutputStd: s.normalizedStd,
    dimensions: s.dim,
    singularValues: s.singularValues,
  };
}

/**
 * Telemetry collapse record of one monitor check's output metrics. The monitor's `normalizedStd` is
 * SimSiam's std of the L2-normalised output times sqrt(d) (~1 healthy); telemetry wants the unscaled
 * value (~1/sqrt(d) healthy), so it is divided by sqrt(d). The check keeps no singular values.
 */
export function collapseRecordFromCheck(step: number, output: OutputName, m: OutputMetrics): CollapseRecord {
  if (!(m.dim > 0)) throw new CollapseRecordError(`${output} check at step ${step} has dimension ${m.dim}`);
  return {
    step,
    output,
    auc: m.auc,
    effectiveRank: m.rankme,
    stableRank: m.stableRank,
    alpha: m.alpha,
    normalizedOutputStd: m.normalizedStd / Math.sqrt(m.dim),
    dimensions: m.dim,
  };
}
