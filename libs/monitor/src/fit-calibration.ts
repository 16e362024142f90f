import { CALIBRATION_VERSION, type Calibration, type CalibrationRun, type ExpectedMetric, type ExpectedTrajectoryAnchor } from './calibration.ts';
import { FORECAST_FEATURES, forecastFeatures, nearestCheck } from './forecast-features.ts';
import { groupConformalQuantile, groupedCvResiduals, selectLambda } from './grouped-cv.ts';
import { MonitorError, describeValue } from './monitor-error.ts';
import { fitRidge, fitRidgeAt } from './ridge-regression.ts';
import { mean } from './robust-stats.ts';
import { resolveMethod, type SslMethod } from './ssl-method.ts';

/** Options of {@link fitCalibration}; every field has a default. */
export interface FitCalibrationOptions {
  /** Progress points (fractions of training) with their own model. Default [0.1, 0.2, 0.35, 0.5, 0.75, 1]. */
  anchors?: number[];
  /** A run contributes to an anchor if one of its checks is within this progress. Default 0.06. */
  tolerance?: number;
  /** Interval levels stored in the document. Default [0.5, 0.8, 0.9, 0.95]. */
  levels?: number[];
  /** Ridge penalties tried; the one with the smallest grouped-CV error is kept. Default [0.1, 1, 3, 10, 30, 100]. */
  lambdas?: number[];
  /** Features of the forecast (names of the feature catalogue). Default {@link FORECAST_FEATURES}. */
  features?: readonly string[];
  /** Folds (by group) of the cross-conformal residuals. Default 10. */
  folds?: number;
  /** Seed of the fold assignment. Default 0. */
  seed?: number;
  /** Interval widening for a run whose method the calibration lacks. Default 2. */
  uncoveredMethodWidening?: number;
  /** Checks entering the trend features. Default 4. */
  trendWindow?: number;
  /** ISO timestamp written into the document. Default: now (pass one for a reproducible file). */
  createdAt?: string;
  /** Where the runs came from, e.g. `trainer-runs` or `synthetic-placeholder`. Default `trainer-runs`. */
  provenance?: string;
  description?: string;
}

function logOrNaN(value: number | undefined): number {
  return value !== undefined && value > 0 ? Math.log(value) : Number.NaN;
}

function validateRun(run: CalibrationRun, index: number): void {
  const acc = run.finalLinearProbeAccuracy;
  if (typeof acc !== 'number' || !Number.isFinite(acc) || acc < 0 || acc > 1) {
    throw new MonitorError('invalid-run', `run ${run.id ?? index}: finalLinearProbeAccuracy must be a fraction in [0, 1], got ${describeValue(acc)}`);
  }
  if (run.method !== undefined && run.method !== 'simsiam' && run.method !== 'byol') {
    throw new MonitorError('invalid-run', `run ${run.id ?? index}: method must be simsiam or byol, got ${describeValue(run.method)}`);
  }
  if (!Array.isArray(run.checks) || run.checks.length === 0) {
    throw new MonitorError('invalid-run', `run ${run.id ?? index}: checks must be a non-empty array, got ${describeValue(run.checks)}`);
  }
}

function fitExpected(rows: { lp: number; ld: number; y: number }[], mp: number, md: number): ExpectedMetric {
  const x = rows.map((r) => [Number.isFinite(r.lp) ? r.lp - mp : 0, Number.isFinite(r.ld) ? r.ld - md : 0]);
  const fit = fitRidge(x, rows.map((r) => r.y), [1e-3]);
  const w0 = fit.weights[0] / fit.scale[0];
  const w1 = fit.weights[1] / fit.scale[1];
  const c0 = fit.intercept - w0 * fit.mean[0] - w1 * fit.mean[1];
  const residualSd = Math.sqrt(mean(fit.looResiduals.map((r) => r * r)));
  return { coefficients: [c0, w0, w1], residualSd: Math.max(residualSd, 1e-3) };
}

/**
 * Fits a {@link Calibration} from finished runs (pure apart from the default `createdAt`). At each progress
 * anchor, a ridge regression on the standardised `features` predicts the final linear-probe accuracy; the
 * penalty is chosen by grouped cross-validation (all runs of a `group`, the seeds of one setting, in one fold).
 * The interval half-widths are group-weighted conformal quantiles of cross-conformal residuals: each fold's
 * model (penalty chosen, features standardised, inside the fold) predicts the runs of settings it never saw.
 * With settings exchangeable, such intervals cover a run of a new setting at about the nominal level (CV+
 * guarantees at least 1 - 2 alpha for its own form; this uses the full fit's centre, so the evaluation measures
 * it). Runs not labelled `collapsed` also define the expected healthy trajectory of backbone AUC and log RankMe
 * as a linear function of log model and data size. Needs at least 8 runs per anchor and 2 groups.
 */
export function fitCalibration(runs: readonly CalibrationRun[], options: FitCalibrationOptions = {}): Calibration {
  const anchors = options.anchors ?? [0.1, 0.2, 0.35, 0.5, 0.75, 1];
  const tolerance = options.tolerance ?? 0.06;
  const levels = options.levels ?? [0.5, 0.8, 0.9, 0.95];
  const lambdas = options.lambdas ?? [0.1, 1, 3, 10, 30, 100];
  const trendWindow = options.trendWindow ?? 4;
  const features = [...(options.features ?? FORECAST_FEATURES)];
  const folds = options.folds ?? 10;
  const seed = options.seed ?? 0;
  const groupOf = (run: CalibrationRun, i: number) => run.group ?? run.id ?? `run-${i}`;
  for (const level of levels) {
    if (!(level > 0 && level < 1)) throw new MonitorError('invalid-option', `levels must lie in (0, 1), got ${describeValue(level)}`);
  }
  runs.forEach(validateRun);
  const logParams = runs.map((r) => logOrNaN(r.modelParams)).filter(Number.isFinite);
  const logData = runs.map((r) => logOrNaN(r.dataSize)).filter(Number.isFinite);
  const contextMean = {
    logModelParams: logParams.length > 0 ? mean(logParams) : 0,
    logDataSize: logData.length > 0 ? mean(logData) : 0,
  };
  const fitted: Calibration['model']['anchors'] = [];
  const halfWidths: number[][] = [];
  const expected: ExpectedTrajectoryAnchor[] = [];
  for (const progress of anchors) {
    const x: number[][] = [];
    const y: number[] = [];
    const groups: string[] = [];
    const healthy: { lp: number; ld: number; auc: number; logRank: number }[] = [];
    runs.forEach((run, i) => {
      const index = nearestCheck(run.checks, progress, tolerance);
      if (index < 0) return;
      x.push(forecastFeatures(run.checks, index, run, trendWindow, features));
      y.push(run.finalLinearProbeAccuracy);
      groups.push(groupOf(run, i));
      const bb = run.checks[index].backbone;
      if (run.label !== 'collapsed' && bb && Number.isFinite(bb.auc) && bb.rankme > 0) {
        healthy.push({ lp: logOrNaN(run.modelParams), ld: logOrNaN(run.dataSize), auc: bb.auc, logRank: Math.log(bb.rankme) });
      }
    });
    if (x.length < 8) {
      throw new MonitorError('insufficient-data', `anchor progress ${progress}: ${x.length} runs have a check within ${tolerance}, need at least 8`);
    }
    if (new Set(groups).size < 2) throw new MonitorError('insufficient-data', `anchor progress ${progress}: runs of ${new Set(groups).size} group, need at least 2`);
    const model = fitRidgeAt(x, y, selectLambda(x, y, groups, lambdas, 5, seed));
    const residuals = groupedCvResiduals(x, y, groups, lambdas, folds, seed);
    const scores = residuals.map(Math.abs);
    fitted.push({ progress, model, nTrain: x.length, cvRmse: Math.sqrt(mean(residuals.map((r) => r * r))) });
    halfWidths.push(levels.map((level) => Math.min(groupConformalQuantile(scores, groups, level), 1)));
    if (healthy.length >= 5) {
      const rows = (pick: (h: (typeof healthy)[number]) => number) => healthy.map((h) => ({ lp: h.lp, ld: h.ld, y: pick(h) }));
      expected.push({
        progress,
        nRuns: healthy.length,
        metrics: {
          'backbone.auc': fitExpected(rows((h) => h.auc), contextMean.logModelParams, contextMean.logDataSize),
          'backbone.logRankme': fitExpected(rows((h) => h.logRank), contextMean.logModelParams, contextMean.logDataSize),
        },
      });
    }
  }
  return {
    version: CALIBRATION_VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    provenance: options.provenance ?? 'trainer-runs',
    ...(options.description !== undefined ? { description: options.description } : {}),
    features,
    methods: [...new Set(runs.map((run) => resolveMethod(run.method)))].sort() as SslMethod[],
    uncoveredMethodWidening: options.uncoveredMethodWidening ?? 2,
    model: { type: 'ridge-by-progress', trendWindow, contextMean, anchors: fitted },
    residualQuantiles: { method: 'group-cv-conformal', groups: new Set(runs.map(groupOf)).size, levels, halfWidths },
    ...(expected.length === anchors.length ? { expectedTrajectory: expected } : {}),
    trainingRuns: runs.map((run, i) => ({
      id: run.id ?? `run-${i}`,
      finalLinearProbeAccuracy: run.finalLinearProbeAccuracy,
      checks: run.checks.length,
      ...(run.modelParams !== undefined ? { modelParams: run.modelParams } : {}),
      ...(run.dataSize !== undefined ? { dataSize: run.dataSize } : {}),
      ...(run.label !== undefined ? { label: run.label } : {}),
      ...(run.group !== undefined ? { group: run.group } : {}),
    })),
  };
}
