/**
 * @siamwatch/telemetry: OpenTelemetry metrics and traces (assembled by `NodeSDK` of
 * `@opentelemetry/sdk-node`, configured by the standard `OTEL_*` variables) plus prom-client defaults on
 * one Prometheus `/metrics`, a built-in live page, optional OTLP push, and the table of every series name.
 * The only package that imports OpenTelemetry or prom-client.
 */
export { createTelemetry, createTelemetryWith, type TelemetryHooks } from './create-telemetry.ts';
export { createNoopTelemetry, silentLogger } from './null-telemetry.ts';
export {
  createInMemoryTelemetry,
  type InMemoryTelemetry,
  type TelemetryCall,
  type TelemetryMethod,
} from './in-memory-telemetry.ts';
export {
  METRICS,
  METRIC_NAMES,
  OUTPUTS,
  DECISIONS,
  DEFAULT_REGIMES,
  PROM_CLIENT_DEFAULT_PREFIXES,
  histogramSeriesNames,
  queryableMetricNames,
  type MetricSpec,
  type MetricType,
  type MetricId,
  type OutputName,
  type DecisionKind,
} from './metric-names.ts';
export { otlpOptionsFromEnv, resolveOtlp, type ResolvedOtlp } from './otlp-options.ts';
export {
  sdkEnvSettings,
  resourceAttributesFromEnv,
  type SdkEnvSettings,
  type MetricsExporterName,
  type TracesExporterName,
} from './sdk-env.ts';
export { TelemetryConfigError, TelemetryInputError } from './record-validation.ts';
export {
  LiveHistory,
  cumulativeExplainedVariance,
  MAX_SPECTRUM_VALUES,
  MAX_EVENTS,
  type LiveSnapshot,
  type LiveSpectrum,
  type LiveRegimeChange,
} from './live-history.ts';
export { ThinningSeries } from './thinning-series.ts';
export { livePageHtml, LIVE_POLL_MILLIS } from './live-page.ts';
export { OTLP_CONCURRENCY_LIMIT, rateLimitedFailureLog, type OtlpSignal, type ExportFailureHandler } from './resilient-exporters.ts';
export { DEFAULT_STEP_DURATION_BUCKETS, CHECKPOINT_DURATION_BUCKETS } from './signal-instruments.ts';
export type {
  Telemetry,
  TelemetrySink,
  TelemetryOptions,
  TelemetryLogger,
  OtlpOptions,
  OtlpProtocol,
  StepRecord,
  CollapseRecord,
  EvaluationRecord,
  ForecastRecord,
  CheckpointRecord,
  DecisionRecord,
  SpanAttributes,
} from './telemetry-types.ts';
export { createMultiRunMetrics, type MultiRunMetrics, type MultiRunMetricsOptions } from './multi-run-metrics.ts';
export { SERVE_METRICS, SERVE_RUN_LABELS } from './serve-metric-names.ts';
export { uplotAssetsFromPackage } from './telemetry-server.ts';
export { listenHttp, type ListeningServer } from './listen-http.ts';
