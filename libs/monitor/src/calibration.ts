import type { RidgeModel } from './ridge-regression.ts';
import type { RunContext, TrajectoryPoint } from './forecast-features.ts';
import type { SslMethod } from './ssl-method.ts';

/** Version of the calibration document format written by {@link fitCalibration} (2: feature list, methods, grouped CV). */
export const CALIBRATION_VERSION = 2;

/**
 * A finished training run used to fit a calibration: its per-check trajectory of
 * label-free features and its final linear-probe accuracy (a fraction in [0, 1]).
 * `label` marks runs known to have collapsed; only the others define the expected
 * healthy trajectory.
 */
export interface CalibrationRun extends RunContext {
  id?: string;
  checks: TrajectoryPoint[];
  finalLinearProbeAccuracy: number;
  label?: 'healthy' | 'collapsed';
  /** The training setting (all seeds of one configuration share it): the unit held out together. Default: the id. */
  group?: string;
}

/** The forecast model at one training-progress anchor: a ridge regression on standardised features. */
export interface CalibrationAnchor {
  progress: number;
  model: RidgeModel;
  /** Runs that had a check near this progress. */
  nTrain: number;
  /** Root-mean-square error of the accuracy forecast under grouped cross-validation (models that never saw the setting). */
  cvRmse: number;
}

/** A linear expectation `c0 + c1 * (logModelParams - mean) + c2 * (logDataSize - mean)` and its residual spread. */
export interface ExpectedMetric {
  coefficients: [number, number, number];
  residualSd: number;
}

/** The expected healthy trajectory at one progress anchor, for the model/data size of the run. */
export interface ExpectedTrajectoryAnchor {
  progress: number;
  nRuns: number;
  metrics: { 'backbone.auc': ExpectedMetric; 'backbone.logRankme': ExpectedMetric };
}

/** Summary of a run a calibration was fitted from (kept for provenance, not used at run time). */
export interface CalibrationRunSummary extends RunContext {
  id: string;
  finalLinearProbeAccuracy: number;
  checks: number;
  label?: 'healthy' | 'collapsed';
  group?: string;
}

/**
 * A versioned calibration document: maps the label-free features it lists (`features`, names of the forecast
 * feature catalogue: spectrum AUC relative to its floor, effective rank, alpha, loss as `1 - cos`, their trends,
 * progress, model and data size, method) to a forecast of the final linear-probe accuracy with a conformal
 * prediction interval. `residualQuantiles.halfWidths[a][l]` is the interval half-width at `model.anchors[a]` for
 * `residualQuantiles.levels[l]`: a group-weighted conformal quantile of grouped cross-validation residuals
 * (`group-cv-conformal`). `methods` are the training methods of the runs it was fitted from; a run of another
 * method gets a wider interval (`uncoveredMethodWidening`).
 */
export interface Calibration {
  version: typeof CALIBRATION_VERSION;
  createdAt: string;
  provenance: string;
  description?: string;
  features: string[];
  methods: SslMethod[];
  /** Interval half-widths are multiplied by this for a run whose method is not in `methods`. */
  uncoveredMethodWidening: number;
  model: {
    type: 'ridge-by-progress';
    trendWindow: number;
    contextMean: { logModelParams: number; logDataSize: number };
    anchors: CalibrationAnchor[];
  };
  residualQuantiles: { method: 'group-cv-conformal'; groups: number; levels: number[]; halfWidths: number[][] };
  expectedTrajectory?: ExpectedTrajectoryAnchor[];
  trainingRuns: CalibrationRunSummary[];
}
