import type { Calibration, ExpectedMetric } from './calibration.ts';
import type { RunContext } from './forecast-features.ts';

/** The expected value of a metric at some progress and its residual spread across healthy calibration runs. */
export interface ExpectedValue {
  mean: number;
  sd: number;
}

function evaluate(metric: ExpectedMetric, calibration: Calibration, context: RunContext): ExpectedValue {
  const ctx = calibration.model.contextMean;
  const lp = context.modelParams !== undefined && context.modelParams > 0 ? Math.log(context.modelParams) - ctx.logModelParams : 0;
  const ld = context.dataSize !== undefined && context.dataSize > 0 ? Math.log(context.dataSize) - ctx.logDataSize : 0;
  const [c0, c1, c2] = metric.coefficients;
  return { mean: c0 + c1 * lp + c2 * ld, sd: metric.residualSd };
}

/**
 * The expected healthy value of `backbone.auc` or `backbone.logRankme` at training
 * `progress` for a run of the given model/data size (unknown sizes count as the
 * calibration average), interpolated linearly between the calibration anchors.
 * Returns undefined when the calibration holds no expected trajectory.
 */
export function expectedTrajectoryValue(
  calibration: Calibration,
  metric: 'backbone.auc' | 'backbone.logRankme',
  progress: number,
  context: RunContext = {},
): ExpectedValue | undefined {
  const anchors = calibration.expectedTrajectory;
  if (anchors === undefined || anchors.length === 0 || !Number.isFinite(progress)) return undefined;
  let hi = anchors.findIndex((a) => a.progress >= progress);
  if (hi < 0) hi = anchors.length - 1;
  const lo = hi > 0 && anchors[hi].progress > progress ? hi - 1 : hi;
  const a = evaluate(anchors[lo].metrics[metric], calibration, context);
  const b = evaluate(anchors[hi].metrics[metric], calibration, context);
  const span = anchors[hi].progress - anchors[lo].progress;
  const t = span > 0 ? Math.min(1, Math.max(0, (progress - anchors[lo].progress) / span)) : 0;
  return { mean: (1 - t) * a.mean + t * b.mean, sd: (1 - t) * a.sd + t * b.sd };
}
