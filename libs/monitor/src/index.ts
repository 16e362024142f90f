/**
 * `@siamwatch/monitor`: the live collapse monitor for non-contrastive Siamese
 * self-supervised training (SimSiam, BYOL), after Li, Efros & Pathak, ECCV 2022,
 * "Understanding Collapse in Non-Contrastive Siamese Representation Learning".
 * Samples embeddings, recomputes spectrum metrics every K steps, forecasts the final
 * linear-probe accuracy, detects collapse onset and decides regime switches.
 * Pure TypeScript on typed arrays; depends only on `@siamwatch/collapse-metrics`.
 */
export { MonitorError, describeValue, requireIntegerInRange, requireNumberInRange } from './monitor-error.ts';
export type { MonitorErrorCode } from './monitor-error.ts';
export { createRandom } from './random.ts';
export type { Random } from './random.ts';
export { conformalQuantile, mean, median, slope, standardDeviation } from './robust-stats.ts';
export { fitRidge, fitRidgeAt, predictRidge } from './ridge-regression.ts';
export { groupConformalQuantile, groupFolds, groupedCvResiduals, outOfFoldPredictions, selectLambda } from './grouped-cv.ts';
export { SSL_METHODS, cosineGapOf, lossFloorOf, lossScaleOf, resolveMethod } from './ssl-method.ts';
export type { SslMethod } from './ssl-method.ts';
export type { RidgeFit, RidgeModel } from './ridge-regression.ts';
export { FEATURE_CATALOGUE, FORECAST_FEATURES, forecastFeatures, nearestCheck, progressOf, relativeAuc } from './forecast-features.ts';
export type { ForecastFeatureName, OutputSummary, RunContext, TrajectoryPoint } from './forecast-features.ts';
export { CALIBRATION_VERSION } from './calibration.ts';
export type {
  Calibration,
  CalibrationAnchor,
  CalibrationRun,
  CalibrationRunSummary,
  ExpectedMetric,
  ExpectedTrajectoryAnchor,
} from './calibration.ts';
export { fitCalibration } from './fit-calibration.ts';
export type { FitCalibrationOptions } from './fit-calibration.ts';
export { DEFAULT_CALIBRATION_URL, PLACEHOLDER_CALIBRATION_URL, defaultCalibration, loadCalibration } from './load-calibration.ts';
export { calibrationRunFromMetricsLines, checkRecordFromMetricsLine } from './calibration-run-from-metrics.ts';
export type { CheckRecord } from './calibration-run-from-metrics.ts';
export { CONTEXT_EXTRAPOLATION_FACTOR, EXTRAPOLATION_MARGIN, SETTING_FEATURES, calibrationCoversMethod, forecastAccuracy } from './forecast.ts';
export type { Forecast } from './forecast.ts';
export { expectedTrajectoryValue } from './expected-trajectory.ts';
export type { ExpectedValue } from './expected-trajectory.ts';
export { DEFAULT_ONSET_OPTIONS, resolveOnsetOptions } from './onset-options.ts';
export type { OnsetOptions, SignalThresholds } from './onset-options.ts';
export { createOnsetDetector } from './onset-detector.ts';
export type {
  OnsetDetector,
  OnsetEvidence,
  OnsetInput,
  OnsetResult,
  OnsetSignalKind,
  OnsetState,
  OnsetTransition,
} from './onset-detector.ts';
export { DEFAULT_DECISION_OPTIONS, createDecisionPolicy } from './decision-policy.ts';
export type {
  Decision,
  DecisionEvidence,
  DecisionInput,
  DecisionKind,
  DecisionOptions,
  DecisionPolicy,
  Policy,
  Regime,
} from './decision-policy.ts';
export { NormalizedStdTracker } from './output-metrics.ts';
export type { EmbeddingBatch, OutputMetrics } from './output-metrics.ts';
export { DEFAULT_SAMPLING_OPTIONS, resolveSamplingOptions } from './sampling-options.ts';
export type { ResolvedSamplingOptions, SamplingOptions } from './sampling-options.ts';
export { createEmbeddingSampler } from './embedding-sampler.ts';
export type { EmbeddingSampler } from './embedding-sampler.ts';
export { DEFAULT_CHECK_EVERY, DEFAULT_FORECAST_LEVEL, DEFAULT_MAX_OVERHEAD, resolveMonitorScalars } from './monitor-options.ts';
export type { MonitorOptions } from './monitor-options.ts';
export { createMonitor, metricsRecord } from './monitor.ts';
export type { CheckContext, CheckMetrics, Monitor, MonitorCheck, Observation, ReplayedCheck } from './monitor.ts';
