import type { DecisionKind, OutputName } from './metric-names.ts';

/**
 * Logger the telemetry writes its own problems to (dropped exports, decisions). Pino-compatible:
 * `logger.warn({ fields }, 'message')`.
 */
export interface TelemetryLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** OTLP wire protocol: `http/protobuf` (the OTLP default) or `http/json`. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** Where and how to push OTLP metrics and traces (usually from {@link otlpOptionsFromEnv}). */
export interface OtlpOptions {
  /** Base URL of the collector, e.g. `http://127.0.0.1:4318`; `/v1/metrics` and `/v1/traces` are appended. */
  endpoint: string;
  /** Full URL for metrics, overriding `endpoint` + `/v1/metrics`. */
  metricsEndpoint?: string;
  /** Full URL for traces, overriding `endpoint` + `/v1/traces`. */
  tracesEndpoint?: string;
  /** Extra HTTP headers (auth). Default none. */
  headers?: Record<string, string>;
  /** Default `http/protobuf`. */
  protocol?: OtlpProtocol;
  /** Per-export deadline including retries with backoff; default 10000 ms. */
  timeoutMillis?: number;
  /** Metrics push interval; default 15000 ms. */
  exportIntervalMillis?: number;
}

/** Options of {@link createTelemetry}. Only `runId` is required. */
export interface TelemetryOptions {
  /** Label `run_id` on every series and attribute `service.instance.id` of the resource. */
  runId: string;
  /** Resource `service.name`; default `siamwatch-trainer`. `OTEL_SERVICE_NAME` in {@link env} overrides it. */
  serviceName?: string;
  /**
   * The environment the standard OpenTelemetry variables are read from (the app passes `process.env`):
   * `OTEL_SDK_DISABLED`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_METRICS_EXPORTER`
   * (`prometheus`, `otlp`, `none`), `OTEL_TRACES_EXPORTER` (`otlp`, `none`), `OTEL_EXPORTER_OTLP_*`,
   * `OTEL_METRIC_EXPORT_INTERVAL`. Default `{}`: none set.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Serve `/metrics`, `/` and `/api/live` on this port (0 = ephemeral). Omitted: no server. */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** Push OTLP metrics and traces here. Omitted: no push. */
  otlp?: OtlpOptions;
  /** Default: silent. */
  logger?: TelemetryLogger;
  /** Points kept per live-history series before it is thinned 2:1; default 2048. */
  historyPoints?: number;
  /** Regimes pre-seeded at 0 on the regime gauge; default {@link DEFAULT_REGIMES}. */
  regimes?: readonly string[];
  /** Serve prom-client's process and Node.js default metrics; default true. */
  defaultMetrics?: boolean;
  /** Bucket bounds of the step duration histogram in seconds. */
  stepDurationBuckets?: readonly number[];
  /** Upper bound on `shutdown()` even if a collector hangs; default 5000 ms. */
  shutdownTimeoutMillis?: number;
}

/** One training step, recorded on the hot path. */
export interface StepRecord {
  step: number;
  loss: number;
  learningRate: number;
  imagesPerSecond: number;
  /** Wall time of the step in seconds. */
  durationSeconds: number;
  epoch?: number;
}

/** Collapse metrics of one output at one monitoring interval (Li, Efros & Pathak, ECCV 2022). */
export interface CollapseRecord {
  step: number;
  output: OutputName;
  /** AUC of the cumulative explained variance (Eq. 2): ~0.5 healthy, 1.0 rank one. */
  auc: number;
  effectiveRank: number;
  stableRank: number;
  alpha: number;
  /** Std of the l2-normalised output: ~1/sqrt(d) healthy, 0 collapsed. */
  normalizedOutputStd: number;
  /** Output dimension d. */
  dimensions: number;
  /** Singular values of the mean-centred n x d matrix, descending; kept for the live spectrum chart. */
  singularValues?: ArrayLike<number>;
}

/** A measured evaluation; accuracies are ratios in [0, 1]. */
export interface EvaluationRecord {
  step: number;
  linearProbeAccuracy?: number;
  knnAccuracy?: number;
}

/** Forecast linear-probe accuracy with its interval, ratios in [0, 1]. */
export interface ForecastRecord {
  step: number;
  point: number;
  low: number;
  high: number;
}

/** One checkpoint write. */
export interface CheckpointRecord {
  step: number;
  durationSeconds: number;
  bytes?: number;
}

/** A monitor decision: a regime switch or an early stop, with the reason a human reads. */
export interface DecisionRecord {
  step: number;
  decision: DecisionKind;
  /** Low-cardinality class, `[a-z][a-z0-9_]*`, e.g. `collapse_onset`, `forecast_drop`, `manual`. */
  reasonClass: string;
  /** Free text: what was seen and why this was decided. */
  reason: string;
  /** New regime for `switch_regime`. */
  regime?: string;
}

/** Attributes of a span (epoch, evaluation, checkpoint). */
export type SpanAttributes = Record<string, string | number | boolean>;

/**
 * What a training loop calls: hooks for each step, monitoring interval, evaluation, checkpoint and
 * decision, plus spans around epochs, evaluations and checkpoints. Implemented by the real telemetry,
 * {@link createNoopTelemetry} and {@link createInMemoryTelemetry}.
 */
export interface TelemetrySink {
  /** Hot path: sets gauges, observes the duration histogram, counts the step. Never throws. */
  recordStep(record: StepRecord): void;
  recordCollapse(record: CollapseRecord): void;
  recordEvaluation(record: EvaluationRecord): void;
  recordForecast(record: ForecastRecord): void;
  recordCheckpoint(record: CheckpointRecord): void;
  /** Marks `regime` as the current one (1 on the regime gauge, 0 for the others). */
  setRegime(regime: string, step: number, reason?: string): void;
  /** Counts a decision, adds a span event and logs its reason; `switch_regime` also calls setRegime. */
  recordDecision(record: DecisionRecord): void;
  /** Runs `fn` inside a span named `siamwatch.<name>`; records exceptions and rethrows them. */
  span<T>(name: string, attributes: SpanAttributes, fn: () => T | Promise<T>): Promise<T>;
}

/** A running telemetry: a {@link TelemetrySink} with an address and a lifecycle. */
export interface Telemetry extends TelemetrySink {
  readonly runId: string;
  /** `http://host:port` of the server, undefined without `port`. */
  readonly url: string | undefined;
  /** Pushes pending OTLP data now (bounded by the export timeout); never rejects. */
  flush(): Promise<void>;
  /** Stops the server and exporters (bounded by `shutdownTimeoutMillis`); never rejects. */
  shutdown(): Promise<void>;
}
