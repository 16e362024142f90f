import { MonitorError, describeValue } from './monitor-error.ts';
import { slope } from './robust-stats.ts';
import { cosineGapOf, resolveMethod, type SslMethod } from './ssl-method.ts';

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

/** What is known about the run besides its trajectory (all optional). */
export interface RunContext {
  /** Trainable parameters of backbone + projector + predictor. */
  modelParams?: number;
  /** Number of distinct training examples. */
  dataSize?: number;
  /** The method trained (loss floor and scale); unknown reads as SimSiam. */
  method?: SslMethod;
}

/**
 * Every feature the forecast can use (a calibration lists the ones it was fitted with). Trends are
 * least-squares slopes against training progress over the last `trendWindow` checks; `log*` are
 * natural logarithms; missing values are NaN and are imputed with the calibration mean.
 * - `lossGap`: the loss as `1 - cos` of the two views (0 at complete collapse, same for SimSiam and BYOL).
 * - `*.aucRel`: AUC relative to the floor of a d-dimensional output, `(auc - (d+1)/(2d)) / (1 - (d+1)/(2d))`
 *   (0 flat spectrum, 1 rank one), so outputs of different widths compare.
 * - `*.logRankmeFrac`: `ln(RankMe / d)` (0 = full rank).
 * - `*.logRankmeVsPeak`: `ln(RankMe / its peak so far)` (0 = never fell; the run's own trajectory).
 * - `*.aucRelStart`: `aucRel` at the first check (the data and architecture before training shapes them);
 *   `*.aucRelChange`, `*.logRankmeChange`: the change since the first check.
 * - `method.byol`: 1 for BYOL, 0 for SimSiam.
 */
export const FEATURE_CATALOGUE = [
  'progress',
  'loss',
  'lossTrend',
  'lossGap',
  'lossGapTrend',
  'backbone.auc',
  'backbone.aucRel',
  'backbone.aucRelTrend',
  'backbone.logRankme',
  'backbone.logRankmeFrac',
  'backbone.logRankmeVsPeak',
  'backbone.alpha',
  'backbone.normalizedStd',
  'backbone.aucTrend',
  'backbone.logRankmeTrend',
  'backbone.aucRelStart',
  'backbone.aucRelChange',
  'backbone.logRankmeChange',
  'projector.auc',
  'projector.aucRel',
  'projector.aucRelTrend',
  'projector.logRankme',
  'projector.logRankmeFrac',
  'projector.logRankmeVsPeak',
  'projector.logRankmeTrend',
  'projector.alpha',
  'projector.normalizedStd',
  'projector.aucRelStart',
  'projector.aucRelChange',
  'projector.logRankmeChange',
  'logModelParams',
  'logDataSize',
  'method.byol',
] as const;

/** One of {@link FEATURE_CATALOGUE}. */
export type ForecastFeatureName = (typeof FEATURE_CATALOGUE)[number];

/**
 * The default feature set of a calibration fit: loss as `1 - cos`, AUC relative to the floor and log RankMe as a
 * share of the dimension for both outputs, their trends and their fall from the run's own peak, alpha, model and
 * data size, and the method. Raw AUC, raw loss and the normalised std (which only flag complete collapse) are left out.
 */
export const FORECAST_FEATURES: readonly ForecastFeatureName[] = [
  'progress',
  'lossGap',
  'lossGapTrend',
  'backbone.aucRel',
  'backbone.aucRelTrend',
  'backbone.logRankmeFrac',
  'backbone.logRankmeVsPeak',
  'backbone.logRankmeTrend',
  'backbone.alpha',
  'projector.aucRel',
  'projector.aucRelTrend',
  'projector.logRankmeFrac',
  'projector.logRankmeVsPeak',
  'projector.logRankmeTrend',
  'logModelParams',
  'logDataSize',
  'method.byol',
];

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

/** AUC relative to the floor `(d+1)/(2d)` of a d-dimensional output (raw AUC when d is unknown). */
export function relativeAuc(summary: OutputSummary | undefined): number {
  if (summary === undefined || !Number.isFinite(summary.auc)) return Number.NaN;
  const d = summary.dim;
  if (d === undefined || !(d > 1)) return summary.auc;
  const floor = (d + 1) / (2 * d);
  return (summary.auc - floor) / (1 - floor);
}

function rankFraction(summary: OutputSummary | undefined): number {
  if (summary === undefined) return Number.NaN;
  const d = summary.dim;
  return logOrNaN(summary.rankme) - (d !== undefined && d > 0 ? Math.log(d) : 0);
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

function vsPeak(history: readonly TrajectoryPoint[], index: number, output: 'backbone' | 'projector'): number {
  let peak = Number.NaN;
  for (let i = 0; i <= index; i++) {
    const r = logOrNaN(history[i][output]?.rankme);
    if (Number.isFinite(r) && !(r <= peak)) peak = r;
  }
  return logOrNaN(history[index][output]?.rankme) - peak;
}

/**
 * The forecast feature vector (the features `names`, default {@link FORECAST_FEATURES}) of `history[index]`, using
 * only checks up to `index` (so the same function serves live forecasts and the calibration fit). `trendWindow`
 * checks (default 4) enter the trends. The loss is read with the floor and scale of `context.method`.
 */
export function forecastFeatures(
  history: readonly TrajectoryPoint[],
  index: number,
  context: RunContext = {},
  trendWindow = 4,
  names: readonly string[] = FORECAST_FEATURES,
): number[] {
  const point = history[index];
  const method = resolveMethod(context.method);
  const gap = (p: TrajectoryPoint) => (Number.isFinite(p.loss) ? cosineGapOf(p.loss, method) : Number.NaN);
  const compute: Record<ForecastFeatureName, () => number> = {
    progress: () => progressOf(point),
    loss: () => finiteOrNaN(point.loss),
    lossTrend: () => trend(history, index, trendWindow, (p) => p.loss),
    lossGap: () => gap(point),
    lossGapTrend: () => trend(history, index, trendWindow, gap),
    'backbone.auc': () => finiteOrNaN(point.backbone?.auc),
    'backbone.aucRel': () => relativeAuc(point.backbone),
    'backbone.aucRelTrend': () => trend(history, index, trendWindow, (p) => relativeAuc(p.backbone)),
    'backbone.logRankme': () => logOrNaN(point.backbone?.rankme),
    'backbone.logRankmeFrac': () => rankFraction(point.backbone),
    'backbone.logRankmeVsPeak': () => vsPeak(history, index, 'backbone'),
    'backbone.alpha': () => finiteOrNaN(point.backbone?.alpha),
    'backbone.normalizedStd': () => finiteOrNaN(point.backbone?.normalizedStd),
    'backbone.aucTrend': () => trend(history, index, trendWindow, (p) => finiteOrNaN(p.backbone?.auc)),
    'backbone.logRankmeTrend': () => trend(history, index, trendWindow, (p) => logOrNaN(p.backbone?.rankme)),
    'projector.auc': () => finiteOrNaN(point.projector?.auc),
    'projector.aucRel': () => relativeAuc(point.projector),
    'projector.aucRelTrend': () => trend(history, index, trendWindow, (p) => relativeAuc(p.projector)),
    'projector.logRankme': () => logOrNaN(point.projector?.rankme),
    'projector.logRankmeFrac': () => rankFraction(point.projector),
    'projector.logRankmeVsPeak': () => vsPeak(history, index, 'projector'),
    'projector.logRankmeTrend': () => trend(history, index, trendWindow, (p) => logOrNaN(p.projector?.rankme)),
    'projector.alpha': () => finiteOrNaN(point.projector?.alpha),
    'projector.normalizedStd': () => finiteOrNaN(point.projector?.normalizedStd),
    'backbone.aucRelStart': () => relativeAuc(history[0].backbone),
    'backbone.aucRelChange': () => relativeAuc(point.backbone) - relativeAuc(history[0].backbone),
    'backbone.logRankmeChange': () => logOrNaN(point.backbone?.rankme) - logOrNaN(history[0].backbone?.rankme),
    'projector.aucRelStart': () => relativeAuc(history[0].projector),
    'projector.aucRelChange': () => relativeAuc(point.projector) - relativeAuc(history[0].projector),
    'projector.logRankmeChange': () => logOrNaN(point.projector?.rankme) - logOrNaN(history[0].projector?.rankme),
    logModelParams: () => logOrNaN(context.modelParams),
    logDataSize: () => logOrNaN(context.dataSize),
    'method.byol': () => (method === 'byol' ? 1 : 0),
  };
  return names.map((name) => {
    const f = compute[name as ForecastFeatureName];
    if (f === undefined) throw new MonitorError('invalid-option', `unknown forecast feature ${describeValue(name)} (known: ${FEATURE_CATALOGUE.join(', ')})`);
    return f();
  });
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
