import { Counter, Gauge, Registry, collectDefaultMetrics, type LabelValues } from 'prom-client';
import { METRICS, type MetricId } from './metric-names.ts';
import { checkCollapse, checkDecision, checkForecast, TelemetryInputError } from './record-validation.ts';
import { SERVE_METRICS } from './serve-metric-names.ts';
import type { CollapseRecord, DecisionRecord, ForecastRecord } from './telemetry-types.ts';

/** Options of {@link createMultiRunMetrics}. */
export interface MultiRunMetricsOptions {
  /** Serve prom-client's process and Node.js default metrics; default true. */
  defaultMetrics?: boolean;
}

/**
 * One Prometheus registry for many runs (the `siamwatch serve` sidecar): the series of {@link METRICS} labelled
 * by `run_id` and `run` (same value) and, for per-rank series, `rank`; never by step. Recorders validate like
 * the single-run telemetry and throw {@link TelemetryInputError} on a bad record.
 */
export interface MultiRunMetrics {
  /** Content type of {@link MultiRunMetrics.metrics}. */
  readonly contentType: string;
  /** Loss of one rank at `step` (gauge per rank) and the run's last step (gauge per run). */
  recordLoss(run: string, rank: number, step: number, loss: number): void;
  recordCollapse(run: string, record: CollapseRecord): void;
  recordForecast(run: string, record: ForecastRecord): void;
  /** Counts a decision (`siamwatch_monitor_decisions_total`). */
  recordDecision(run: string, record: DecisionRecord): void;
  /** Counts accepted embedding rows of one rank. */
  recordSamples(run: string, rank: number, rows: number): void;
  /** Counts one monitor check of the run. */
  recordCheck(run: string): void;
  /** Counts one refused request; `run` may be undefined when the URL named none. */
  recordRejected(run: string | undefined, status: number): void;
  /** Drops every series of `run` (expired runs). */
  removeRun(run: string): void;
  /** Prometheus text exposition of every run. */
  metrics(): Promise<string>;
}

const RUN_LABELS = ['run_id', 'run'] as const;

function checkRank(rank: number): void {
  if (!Number.isInteger(rank) || rank < 0) throw new TelemetryInputError(`rank must be an integer >= 0, got ${String(rank)}`);
}

/** Creates a {@link MultiRunMetrics} on its own prom-client registry. */
export function createMultiRunMetrics(options: MultiRunMetricsOptions = {}): MultiRunMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const gauge = (id: MetricId, extra: readonly string[]) =>
    new Gauge({ name: METRICS[id].name, help: METRICS[id].help, labelNames: [...RUN_LABELS, ...extra], registers: [registry] });
  const loss = gauge('trainLoss', ['rank']);
  const step = gauge('trainStep', []);
  const lastTs = gauge('trainLastStepTimestamp', []);
  const collapse = {
    auc: gauge('collapseAuc', ['output']),
    effectiveRank: gauge('collapseEffectiveRank', ['output']),
    stableRank: gauge('collapseStableRank', ['output']),
    alpha: gauge('collapseAlpha', ['output']),
    normalizedOutputStd: gauge('collapseNormalizedStd', ['output']),
    dimensions: gauge('collapseDimensions', ['output']),
  };
  const forecast = gauge('forecastAccuracy', ['bound']);
  const decisions = new Counter({ name: METRICS.decisions.name, help: METRICS.decisions.help, labelNames: [...RUN_LABELS, 'decision', 'reason_class'], registers: [registry] });
  const counter = (id: keyof typeof SERVE_METRICS) =>
    new Counter({ name: SERVE_METRICS[id].name, help: SERVE_METRICS[id].help, labelNames: [...SERVE_METRICS[id].labels], registers: [registry] });
  const samples = counter('serveSamples');
  const checks = counter('serveChecks');
  const rejected = counter('serveRejected');
  const runOf = (run: string): LabelValues<string> => ({ run_id: run, run });
  // Every label set written per run, so an expired run's series can all be removed.
  const written = new Map<string, Map<string, { metric: Gauge | Counter; labels: LabelValues<string> }>>();
  const track = (run: string, metric: Gauge | Counter, labels: LabelValues<string>): LabelValues<string> => {
    let own = written.get(run);
    if (own === undefined) written.set(run, (own = new Map()));
    const key = `${(metric as unknown as { name: string }).name}${JSON.stringify(labels)}`;
    if (!own.has(key)) own.set(key, { metric, labels });
    return labels;
  };
  const set = (run: string, metric: Gauge, labels: LabelValues<string>, value: number) => metric.set(track(run, metric, labels), value);

  return {
    contentType: registry.contentType,
    recordLoss(run, rank, s, value) {
      checkRank(rank);
      if (Number.isFinite(value)) set(run, loss, { ...runOf(run), rank: String(rank) }, value);
      set(run, step, runOf(run), s);
      set(run, lastTs, runOf(run), Date.now() / 1000);
    },
    recordCollapse(run, r) {
      checkCollapse(r);
      const labels = { ...runOf(run), output: r.output };
      for (const key of ['auc', 'effectiveRank', 'stableRank', 'alpha', 'normalizedOutputStd', 'dimensions'] as const) {
        set(run, collapse[key], labels, r[key]);
      }
    },
    recordForecast(run, r) {
      checkForecast(r);
      for (const bound of ['point', 'low', 'high'] as const) set(run, forecast, { ...runOf(run), bound }, r[bound]);
    },
    recordDecision(run, r) {
      checkDecision(r);
      decisions.inc(track(run, decisions, { ...runOf(run), decision: r.decision, reason_class: r.reasonClass }));
    },
    recordSamples(run, rank, rows) {
      checkRank(rank);
      samples.inc(track(run, samples, { ...runOf(run), rank: String(rank) }), rows);
    },
    recordCheck(run) {
      checks.inc(track(run, checks, runOf(run)));
    },
    recordRejected(run, status) {
      rejected.inc({ run_id: run ?? '', status: String(status) });
    },
    removeRun(run) {
      for (const { metric, labels } of written.get(run)?.values() ?? []) metric.remove(labels);
      written.delete(run);
    },
    metrics: () => registry.metrics(),
  };
}
