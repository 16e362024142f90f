import { CALIBRATION_VERSION, type Calibration, type CalibrationRun, type ExpectedMetric, type ExpectedTrajectoryAnchor } from './calibration.ts';
import { FORECAST_FEATURES, forecastFeatures, nearestCheck } from './forecast-features.ts';
import { MonitorError, describeValue } from './monitor-error.ts';
import { fitRidge } from './ridge-regression.ts';
import { conformalQuantile, mean } from './robust-stats.ts';

/** Options of {@link fitCalibration}; every field has a default. */
export interface FitCalibrationOptions {
  /** Progress points (fractions of training) with their own model. Default [0.1, 0.2, 0.35, 0.5, 0.75, 1]. */
  anchors?: number[];
  /** A run contributes to an anchor if one of its checks is within this progress. Default 0.06. */
  tolerance?: number;
  /** Interval levels stored in the document. Default [0.5, 0.8, 0.9, 0.95]. */
  levels?: number[];
  /** Ridge penalties tried; the one with the smallest leave-one-out error is kept. Default [0.1, 1, 3, 10, 30, 100]. */
  lambdas?: number[];
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
 * Fits a {@link Calibration} from finished runs (pure apart from the default
 * `createdAt`). At each progress anchor, a ridge regression on standardised
 * {@link FORECAST_FEATURES} predicts the final linear-probe accuracy; the interval
 * half-widths are jackknife+conformal quantiles of the exact leave-one-out residuals,
 * so held-out coverage is close to the nominal level. Runs not labelled `collapsed`
 * also define the expected healthy trajectory of backbone AUC and log RankMe as a
 * linear function of log model and data size. Needs at least 8 runs per anchor.
 */
export function fitCalibration(runs: readonly CalibrationRun[], options: FitCalibrationOptions = {}): Calibration {
  const anchors = options.anchors ?? [0.1, 0.2, 0.35, 0.5, 0.75, 1];
  const tolerance = options.tolerance ?? 0.06;
  const levels = options.levels ?? [0.5, 0.8, 0.9, 0.95];
  const lambdas = options.lambdas ?? [0.1, 1, 3, 10, 30, 100];
  const trendWindow = options.trendWindow ?? 4;
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
    const healthy: { lp: number; ld: number; auc: number; logRank: number }[] = [];
    for (const run of runs) {
      const index = nearestCheck(run.checks, progress, tolerance);
      if (index < 0) continue;
      x.push(forecastFeatures(run.checks, index, run, trendWindow));
      y.push(run.finalLinearProbeAccuracy);
      const bb = run.checks[index].backbone;
      if (run.label !== 'collapsed' && bb && Number.isFinite(bb.auc) && bb.rankme > 0) {
        healthy.push({ lp: logOrNaN(run.modelParams), ld: logOrNaN(run.dataSize), auc: bb.auc, logRank: Math.log(bb.rankme) });
      }
    }
    if (x.length < 8) {
      throw new MonitorError('insufficient-data', `anchor progress ${progress}: ${x.length} runs have a check within ${tolerance}, need at least 8`);
    }
    const fit = fitRidge(x, y, lambdas);
    const scores = fit.looResiduals.map(Math.abs);
    fitted.push({
      progress,
      model: { mean: fit.mean, lower: fit.lower, upper: fit.upper, scale: fit.scale, weights: fit.weights, intercept: fit.intercept, lambda: fit.lambda },
      nTrain: x.length,
      looRmse: fit.looRmse,
    });
    halfWidths.push(levels.map((level) => Math.min(conformalQuantile(scores, level), 1)));
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
    features: [...FORECAST_FEATURES],
    model: { type: 'ridge-by-progress', trendWindow, contextMean, anchors: fitted },
    residualQuantiles: { method: 'jackknife-conformal', levels, halfWidths },
    ...(expected.length === anchors.length ? { expectedTrajectory: expected } : {}),
    trainingRuns: runs.map((run, i) => ({
      id: run.id ?? `run-${i}`,
      finalLinearProbeAccuracy: run.finalLinearProbeAccuracy,
      checks: run.checks.length,
      ...(run.modelParams !== undefined ? { modelParams: run.modelParams } : {}),
      ...(run.dataSize !== undefined ? { dataSize: run.dataSize } : {}),
      ...(run.label !== undefined ? { label: run.label } : {}),
    })),
  };
}
