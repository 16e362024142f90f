import { slope } from './robust-stats.ts';

/**
 * The label-free spectrum summary of one output (backbone or projector) at one check,
 * as the monitor computes it and as the trainer writes it into `metrics.jsonl`.
 * `auc`: ~0.5 flat spectrum (healthy), 1.0 rank one (collapsed); `rankme`: effective
 * rank, d healthy, 1 collapsed; `normalizedStd`: std of the L2-normalised output
 * times sqrt(d), ~1 healthy, 0 collapsed (Li, Efros & Pathak, ECCV 2022; Garrido et
 * al. 2023 for RankMe; Agrawal et al. 2022 for alpha).
 */
export interface OutputSummary {
  auc: number;
  rankme: number;
  alpha?: number;
  stableRank?: number;
  normalizedStd?: number;
  dim?: number;
}

/**
 * One point of a run's trajectory: the training loss and the spectrum summaries at a
 * check. Used both by the live monitor and by finished runs in a calibration.
 */
export interface TrajectoryPoint {
  step: number;
  totalSteps: number;
  loss: number;
  backbone?: OutputSummary;
  projector?: OutputSummary;
}

/** What is known about the run besides its trajectory (both optional). */
export interface RunContext {
  /** Trainable parameters of backbone + projector + predictor. */
  modelParams?: number;
  /** Number of distinct training examples. */
  dataSize?: number;
}

/**
 * Names of the forecast features, in the order of the vectors built by
 * {@link forecastFeatures}. Trends are least-squares slopes against training progress
 * over the last few checks; `log*` are natural logarithms. Missing values are NaN
 * and are imputed with the calibration mean.
 */
export const FORECAST_FEATURES = [
  'progress',
  'loss',
  'lossTrend',
  'backbone.auc',
  'backbone.logRankme',
  'backbone.alpha',
  'backbone.normalizedStd',
  'backbone.aucTrend',
  'backbone.logRankmeTrend',
  'projector.auc',
  'projector.logRankme',
  'projector.normalizedStd',
  'logModelParams',
  'logDataSize',
] as const;

/** One of {@link FORECAST_FEATURES}. */
export type ForecastFeatureName = (typeof FORECAST_FEATURES)[number];

/** Training progress of a point: step / totalSteps, clamped to [0, 1]. */
export function progressOf(point: TrajectoryPoint): number {
  if (!(point.totalSteps > 0)) return Number.NaN;
  return Math.min(1, Math.max(0, point.step / point.totalSteps));
}

function finiteOrNaN(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) ? value : Number.NaN;
}

function logOrNaN(value: number | undefined): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? Math.log(value) : Number.NaN;
}

function trend(history: readonly TrajectoryPoint[], index: number, window: number, pick: (p: TrajectoryPoint) => number): number {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = Math.max(0, index - window + 1); i <= index; i++) {
    const x = progressOf(history[i]);
    const y = pick(history[i]);
    if (Number.isFinite(x) && Number.isFinite(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  return xs.length >= 2 ? slope(xs, ys) : Number.NaN;
}

/**
 * The forecast feature vector (see {@link FORECAST_FEATURES}) of `history[index]`,
 * using only checks up to `index` (so the same function serves live forecasts and
 * the calibration fit). `trendWindow` checks (default 4) enter the trends.
 */
export function forecastFeatures(
  history: readonly TrajectoryPoint[],
  index: number,
  context: RunContext = {},
  trendWindow = 4,
): number[] {
  const point = history[index];
  const bb = point.backbone;
  const pj = point.projector;
  const values: Record<ForecastFeatureName, number> = {
    progress: progressOf(point),
    loss: finiteOrNaN(point.loss),
    lossTrend: trend(history, index, trendWindow, (p) => p.loss),
    'backbone.auc': finiteOrNaN(bb?.auc),
    'backbone.logRankme': logOrNaN(bb?.rankme),
    'backbone.alpha': finiteOrNaN(bb?.alpha),
    'backbone.normalizedStd': finiteOrNaN(bb?.normalizedStd),
    'backbone.aucTrend': trend(history, index, trendWindow, (p) => finiteOrNaN(p.backbone?.auc)),
    'backbone.logRankmeTrend': trend(history, index, trendWindow, (p) => logOrNaN(p.backbone?.rankme)),
    'projector.auc': finiteOrNaN(pj?.auc),
    'projector.logRankme': logOrNaN(pj?.rankme),
    'projector.normalizedStd': finiteOrNaN(pj?.normalizedStd),
    logModelParams: logOrNaN(context.modelParams),
    logDataSize: logOrNaN(context.dataSize),
  };
  return FORECAST_FEATURES.map((name) => values[name]);
}

/**
 * Index of the check in `history` whose progress is nearest `progress`, or -1 when
 * none lies within `tolerance`.
 */
export function nearestCheck(history: readonly TrajectoryPoint[], progress: number, tolerance: number): number {
  let best = -1;
  let bestGap = Number.POSITIVE_INFINITY;
  history.forEach((point, i) => {
    const gap = Math.abs(progressOf(point) - progress);
    if (gap <= tolerance && gap < bestGap) {
      best = i;
      bestGap = gap;
    }
  });
  return best;
}
