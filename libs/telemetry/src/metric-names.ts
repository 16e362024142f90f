/**
 * The one declaration of every Prometheus series SiamWatch emits. Instruments, dashboards, recording and
 * alert rules import or check against this table; nothing else spells a series name.
 *
 * Naming follows Prometheus conventions (base units in the name: `_seconds`, `_bytes`, `_ratio`; `_total`
 * for counters) and OpenTelemetry's (dotted instrument names, UCUM units). The OpenTelemetry Prometheus
 * exporter turns the dots of `otelName` into underscores and appends `_total` to counters, which gives `name`.
 */

/** Prometheus metric type of a series. */
export type MetricType = 'gauge' | 'counter' | 'histogram';

/** One row of the metric table: Prometheus name, OpenTelemetry instrument name, type, help, UCUM unit, labels. */
export interface MetricSpec {
  readonly name: string;
  readonly otelName: string;
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
  readonly labels: readonly string[];
}

/** Which network output a collapse metric was computed on (Li et al. 2022 watch both). */
export const OUTPUTS = ['backbone', 'projector'] as const;
/** `backbone` (the representation used downstream) or `projector` (the embedding the loss sees). */
export type OutputName = (typeof OUTPUTS)[number];

/** Monitor decisions counted by `siamwatch_monitor_decisions_total`. */
export const DECISIONS = ['switch_regime', 'early_stop'] as const;
/** `switch_regime` (change the data regime) or `early_stop` (stop the run). */
export type DecisionKind = (typeof DECISIONS)[number];

/** Training data regimes the trainer knows (pre-seeded at 0 on the regime gauge). */
export const DEFAULT_REGIMES = ['iid', 'continual', 'cumulative', 'last', 'hybrid'] as const;

/**
 * Every series, keyed by a short id. All carry `run_id`. Healthy vs collapsed values are in the help text
 * (collapse metrics follow Li, Efros & Pathak, ECCV 2022, Eq. 2 for the AUC).
 */
export const METRICS = {
  trainLoss: {
    name: 'siamwatch_train_loss',
    otelName: 'siamwatch.train.loss',
    type: 'gauge',
    help: 'Training loss of the last step (SimSiam/BYOL negative cosine similarity: -1 is perfect agreement).',
    unit: '1',
    labels: ['run_id'],
  },
  trainLearningRate: {
    name: 'siamwatch_train_learning_rate',
    otelName: 'siamwatch.train.learning_rate',
    type: 'gauge',
    help: 'Learning rate used by the last step.',
    unit: '1',
    labels: ['run_id'],
  },
  trainThroughput: {
    name: 'siamwatch_train_throughput_images_per_second',
    otelName: 'siamwatch.train.throughput_images_per_second',
    type: 'gauge',
    help: 'Training throughput of the last step in images per second.',
    unit: '{image}/s',
    labels: ['run_id'],
  },
  trainStep: {
    name: 'siamwatch_train_step',
    otelName: 'siamwatch.train.step',
    type: 'gauge',
    help: 'Global step number of the last completed step.',
    unit: '{step}',
    labels: ['run_id'],
  },
  trainEpoch: {
    name: 'siamwatch_train_epoch',
    otelName: 'siamwatch.train.epoch',
    type: 'gauge',
    help: 'Epoch of the last completed step (fractional epochs allowed).',
    unit: '{epoch}',
    labels: ['run_id'],
  },
  trainStepDuration: {
    name: 'siamwatch_train_step_duration_seconds',
    otelName: 'siamwatch.train.step_duration_seconds',
    type: 'histogram',
    help: 'Wall time of one training step (forward, backward, update) in seconds.',
    unit: 's',
    labels: ['run_id'],
  },
  trainSteps: {
    name: 'siamwatch_train_steps_total',
    otelName: 'siamwatch.train.steps',
    type: 'counter',
    help: 'Training steps completed by this process.',
    unit: '{step}',
    labels: ['run_id'],
  },
  trainNonFiniteLosses: {
    name: 'siamwatch_train_nonfinite_losses_total',
    otelName: 'siamwatch.train.nonfinite_losses',
    type: 'counter',
    help: 'Steps whose loss was NaN or infinite (diverged training).',
    unit: '{step}',
    labels: ['run_id'],
  },
  trainLastStepTimestamp: {
    name: 'siamwatch_train_last_step_timestamp_seconds',
    otelName: 'siamwatch.train.last_step_timestamp_seconds',
    type: 'gauge',
    help: 'Unix time of the last completed step; time() minus this is the stall time.',
    unit: 's',
    labels: ['run_id'],
  },
  collapseAuc: {
    name: 'siamwatch_collapse_spectrum_auc_ratio',
    otelName: 'siamwatch.collapse.spectrum_auc_ratio',
    type: 'gauge',
    help: 'AUC of the cumulative explained variance of the singular values (Li et al. 2022 Eq. 2): ~0.5 flat spectrum (healthy), 1.0 rank one (collapsed).',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  collapseEffectiveRank: {
    name: 'siamwatch_collapse_effective_rank',
    otelName: 'siamwatch.collapse.effective_rank',
    type: 'gauge',
    help: 'Effective rank exp(entropy of normalised singular values) (RankMe): near d healthy, near 1 collapsed.',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  collapseStableRank: {
    name: 'siamwatch_collapse_stable_rank',
    otelName: 'siamwatch.collapse.stable_rank',
    type: 'gauge',
    help: 'Stable rank sum(s_i^2)/s_1^2: large healthy, 1 collapsed.',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  collapseAlpha: {
    name: 'siamwatch_collapse_alpha',
    otelName: 'siamwatch.collapse.alpha',
    type: 'gauge',
    help: 'Power-law decay exponent of the eigenspectrum: ~1 healthy, larger means faster decay (collapse).',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  collapseNormalizedStd: {
    name: 'siamwatch_collapse_normalized_output_std',
    otelName: 'siamwatch.collapse.normalized_output_std',
    type: 'gauge',
    help: 'Mean per-dimension std of the l2-normalised output (SimSiam): ~1/sqrt(d) healthy, 0 collapsed.',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  collapseDimensions: {
    name: 'siamwatch_collapse_dimensions',
    otelName: 'siamwatch.collapse.dimensions',
    type: 'gauge',
    help: 'Dimension d of the output the collapse metrics were computed on.',
    unit: '1',
    labels: ['run_id', 'output'],
  },
  evalAccuracy: {
    name: 'siamwatch_eval_accuracy_ratio',
    otelName: 'siamwatch.eval.accuracy_ratio',
    type: 'gauge',
    help: 'Last measured downstream accuracy (0-1) of the backbone features, by method (linear_probe, knn).',
    unit: '1',
    labels: ['run_id', 'method'],
  },
  forecastAccuracy: {
    name: 'siamwatch_forecast_linear_probe_accuracy_ratio',
    otelName: 'siamwatch.forecast.linear_probe_accuracy_ratio',
    type: 'gauge',
    help: 'Forecast linear-probe accuracy (0-1) from the spectrum, with bound point, low or high.',
    unit: '1',
    labels: ['run_id', 'bound'],
  },
  regimeActive: {
    name: 'siamwatch_monitor_regime_active',
    otelName: 'siamwatch.monitor.regime_active',
    type: 'gauge',
    help: '1 for the data regime currently in use, 0 for the other known regimes.',
    unit: '1',
    labels: ['run_id', 'regime'],
  },
  decisions: {
    name: 'siamwatch_monitor_decisions_total',
    otelName: 'siamwatch.monitor.decisions',
    type: 'counter',
    help: 'Monitor decisions (switch_regime, early_stop) by decision and reason class.',
    unit: '{decision}',
    labels: ['run_id', 'decision', 'reason_class'],
  },
  checkpointWrites: {
    name: 'siamwatch_checkpoint_writes_total',
    otelName: 'siamwatch.checkpoint.writes',
    type: 'counter',
    help: 'Checkpoints written.',
    unit: '{checkpoint}',
    labels: ['run_id'],
  },
  checkpointDuration: {
    name: 'siamwatch_checkpoint_write_duration_seconds',
    otelName: 'siamwatch.checkpoint.write_duration_seconds',
    type: 'histogram',
    help: 'Wall time of one checkpoint write (serialise, fsync, rename) in seconds.',
    unit: 's',
    labels: ['run_id'],
  },
  checkpointSize: {
    name: 'siamwatch_checkpoint_size_bytes',
    otelName: 'siamwatch.checkpoint.size_bytes',
    type: 'gauge',
    help: 'Size of the last checkpoint written, in bytes.',
    unit: 'By',
    labels: ['run_id'],
  },
  exporterErrors: {
    name: 'siamwatch_telemetry_exporter_errors_total',
    otelName: 'siamwatch.telemetry.exporter_errors',
    type: 'counter',
    help: 'OTLP exports that failed after retries and were dropped, by signal (metrics, traces).',
    unit: '{export}',
    labels: ['run_id', 'signal'],
  },
} as const satisfies Record<string, MetricSpec>;

/** Key of a row of {@link METRICS}. */
export type MetricId = keyof typeof METRICS;

/** Every Prometheus series name SiamWatch emits itself (not prom-client defaults), in table order. */
export const METRIC_NAMES: readonly string[] = Object.values(METRICS).map((m) => m.name);

/** The series a Prometheus histogram `name` expands to in the exposition format and in PromQL. */
export function histogramSeriesNames(name: string): string[] {
  return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
}

/**
 * Every name a PromQL query may legitimately use for SiamWatch's own series: gauges and counters as is,
 * histograms expanded to `_bucket`, `_sum`, `_count`; plus `target_info` (OpenTelemetry resource).
 */
export function queryableMetricNames(): Set<string> {
  const names = new Set<string>(['target_info']);
  for (const m of Object.values(METRICS) as MetricSpec[]) {
    if (m.type === 'histogram') for (const n of histogramSeriesNames(m.name)) names.add(n);
    else names.add(m.name);
  }
  return names;
}

/** Name prefixes of prom-client's default process and Node.js metrics, also served on `/metrics`. */
export const PROM_CLIENT_DEFAULT_PREFIXES = ['process_', 'nodejs_'] as const;
