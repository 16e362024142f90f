import type { Calibration } from './calibration.ts';
import { forecastFeatures, progressOf, type RunContext, type TrajectoryPoint } from './forecast-features.ts';
import { MonitorError, describeValue } from './monitor-error.ts';
import { predictRidge } from './ridge-regression.ts';
import { resolveMethod, type SslMethod } from './ssl-method.ts';

/**
 * A forecast of the final linear-probe accuracy (fraction in [0, 1]) with a
 * prediction interval `[low, high]` at `level` (e.g. 0.9).
 */
export interface Forecast {
  point: number;
  low: number;
  high: number;
  level: number;
  /**
   * A setting feature ({@link SETTING_FEATURES}) lies outside the calibration's range by more than half of that
   * range, or the run's model or data size is more than {@link CONTEXT_EXTRAPOLATION_FACTOR}x outside that of its
   * training runs (the run's setting is unlike the calibration's: the forecast is an extrapolation, clamped).
   * Forecast-based decisions ignore such forecasts.
   */
  extrapolated?: boolean;
}

/** Share of a feature's calibration range a value may lie outside it before the forecast counts as extrapolated. */
export const EXTRAPOLATION_MARGIN = 0.5;

/**
 * The features that describe the run's setting rather than its state (spectra at the first check, model and data
 * size): only these decide whether a run is unlike the calibration's. A collapsing run's state features leave the
 * healthy range by nature, and that must not silence the decisions.
 */
export const SETTING_FEATURES: readonly string[] = ['backbone.aucRelStart', 'projector.aucRelStart', 'logModelParams', 'logDataSize'];

/**
 * Factor by which a run's model size or data size (its {@link RunContext}) may lie outside the range of the
 * calibration's training runs before its forecast counts as extrapolated: a run several times smaller or larger
 * than any the calibration saw is unlike them even when no fitted feature says so (the corpus calibration does not fit
 * on sizes that hardly vary in it). A run that gives neither size counts as extrapolated too.
 */
export const CONTEXT_EXTRAPOLATION_FACTOR = 2;

function contextOutside(calibration: Calibration, context: RunContext): boolean {
  let known = 0;
  let withSizes = 0;
  const outside = (['modelParams', 'dataSize'] as const).some((key) => {
    const seen = calibration.trainingRuns.map((r) => r[key]).filter((v): v is number => typeof v === 'number' && v > 0);
    if (seen.length === 0) return false;
    withSizes += 1;
    const value = context[key];
    if (value === undefined || !(value > 0)) return false;
    known += 1;
    return value < Math.min(...seen) / CONTEXT_EXTRAPOLATION_FACTOR || value > Math.max(...seen) * CONTEXT_EXTRAPOLATION_FACTOR;
  });
  // a run that says nothing about its sizes (e.g. a foreign trainer posting to `siamwatch serve`) is not known to be
  // like the calibration's runs either
  return outside || (withSizes > 0 && known === 0);
}

function outsideRange(model: { lower: number[]; upper: number[] }, x: readonly number[], names: readonly string[]): boolean {
  return x.some((v, j) => {
    if (!SETTING_FEATURES.includes(names[j])) return false;
    // a feature the calibration never saw varying (e.g. no projector in its runs) carries no weight: skip it
    if (!Number.isFinite(v) || !(model.upper[j] - model.lower[j] > 1e-12)) return false;
    const margin = EXTRAPOLATION_MARGIN * (model.upper[j] - model.lower[j]);
    return v < model.lower[j] - margin || v > model.upper[j] + margin;
  });
}

/** Whether the calibration was fitted on runs of `method` (undefined reads as SimSiam). */
export function calibrationCoversMethod(calibration: Calibration, method: SslMethod | undefined): boolean {
  return calibration.methods.includes(resolveMethod(method));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}

/** Index into `levels` of the smallest stored level >= `level`. */
function levelIndex(calibration: Calibration, level: number): number {
  const levels = calibration.residualQuantiles.levels;
  const index = levels.findIndex((l) => l >= level - 1e-12);
  if (!(level > 0 && level < 1) || index < 0) {
    throw new MonitorError('invalid-option', `forecast level must be in (0, ${levels[levels.length - 1]}], got ${describeValue(level)}`);
  }
  return index;
}

/**
 * Forecasts the final linear-probe accuracy from the trajectory up to `history[index]`
 * (default: the last point). The calibration's two anchors bracketing the current
 * progress are interpolated linearly (point and half-width); outside the anchors the
 * nearest is used. The interval is the conformal half-width at the smallest stored
 * level >= `level` (default 0.9), times `uncoveredMethodWidening` when the calibration holds no run of
 * `context.method`; everything is clamped to [0, 1].
 */
export function forecastAccuracy(
  calibration: Calibration,
  history: readonly TrajectoryPoint[],
  context: RunContext = {},
  level = 0.9,
  index = history.length - 1,
): Forecast {
  if (index < 0 || index >= history.length) {
    throw new MonitorError('insufficient-data', `forecast needs a trajectory point at index ${index}, history has ${history.length}`);
  }
  const li = levelIndex(calibration, level);
  const x = forecastFeatures(history, index, context, calibration.model.trendWindow, calibration.features);
  const anchors = calibration.model.anchors;
  const progress = progressOf(history[index]);
  let hi = anchors.findIndex((a) => a.progress >= progress);
  if (hi < 0) hi = anchors.length - 1;
  const lo = hi > 0 && anchors[hi].progress > progress ? hi - 1 : hi;
  const span = anchors[hi].progress - anchors[lo].progress;
  const t = span > 0 ? (progress - anchors[lo].progress) / span : 0;
  const widths = calibration.residualQuantiles.halfWidths;
  const point = (1 - t) * predictRidge(anchors[lo].model, x) + t * predictRidge(anchors[hi].model, x);
  const widen = calibrationCoversMethod(calibration, context.method) ? 1 : calibration.uncoveredMethodWidening;
  const half = widen * ((1 - t) * widths[lo][li] + t * widths[hi][li]);
  return {
    point: clamp01(point),
    low: clamp01(point - half),
    high: clamp01(point + half),
    level: calibration.residualQuantiles.levels[li],
    extrapolated: outsideRange(anchors[lo].model, x, calibration.features) || outsideRange(anchors[hi].model, x, calibration.features) || contextOutside(calibration, context),
  };
}
