import type { Attributes, Counter, Histogram, Meter, ObservableGauge } from '@opentelemetry/api';
import { METRICS, OUTPUTS, type MetricId, type OutputName } from './metric-names.ts';
import type { OtlpSignal } from './resilient-exporters.ts';
import type { CheckpointRecord, CollapseRecord, EvaluationRecord, ForecastRecord, StepRecord } from './telemetry-types.ts';

/** Default bounds of the step duration histogram (seconds): 5 ms to 60 s. */
export const DEFAULT_STEP_DURATION_BUCKETS: readonly number[] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** Bounds of the checkpoint write histogram (seconds). */
export const CHECKPOINT_DURATION_BUCKETS: readonly number[] = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

interface CollapseState {
  has: boolean;
  auc: number;
  effectiveRank: number;
  stableRank: number;
  alpha: number;
  std: number;
  dims: number;
  readonly attrs: Attributes;
}

const opts = (id: MetricId) => ({ description: METRICS[id].help, unit: METRICS[id].unit });

/**
 * The OpenTelemetry instruments of {@link METRICS}, bound to one run. Gauges and the step counters are
 * observable and read a plain state object at collection time, so recording a step only assigns numbers
 * and observes one histogram; attribute objects are built once.
 */
export class SignalInstruments {
  private readonly base: Attributes;
  private readonly stepState = { has: false, loss: 0, lr: 0, ips: 0, step: 0, epoch: Number.NaN, lastTs: 0, steps: 0, nonFinite: 0 };
  private readonly collapseState: Record<OutputName, CollapseState>;
  private readonly accuracy = { linear: Number.NaN, knn: Number.NaN };
  private readonly forecastState = { has: false, point: 0, low: 0, high: 0 };
  private readonly checkpointState = { bytes: Number.NaN };
  private readonly regimes = new Map<string, { active: number; attrs: Attributes }>();
  private readonly stepDuration: Histogram;
  private readonly decisions: Counter;
  private readonly checkpointWrites: Counter;
  private readonly checkpointDuration: Histogram;
  private readonly exporterErrors: Counter;
  private readonly signalAttrs: Record<OtlpSignal, Attributes>;

  constructor(meter: Meter, runId: string, regimes: readonly string[], stepBuckets: readonly number[]) {
    this.base = Object.freeze({ run_id: runId });
    this.collapseState = {} as Record<OutputName, CollapseState>;
    for (const output of OUTPUTS) {
      const attrs = Object.freeze({ run_id: runId, output });
      this.collapseState[output] = { has: false, auc: 0, effectiveRank: 0, stableRank: 0, alpha: 0, std: 0, dims: 0, attrs };
    }
    for (const r of regimes) this.regimes.set(r, { active: 0, attrs: Object.freeze({ run_id: runId, regime: r }) });
    this.signalAttrs = {
      metrics: Object.freeze({ run_id: runId, signal: 'metrics' }),
      traces: Object.freeze({ run_id: runId, signal: 'traces' }),
    };

    this.stepDuration = meter.createHistogram(METRICS.trainStepDuration.otelName, {
      ...opts('trainStepDuration'),
      advice: { explicitBucketBoundaries: [...stepBuckets] },
    });
    // Step counters are observable: the hot path only increments plain numbers.
    const steps = meter.createObservableCounter(METRICS.trainSteps.otelName, opts('trainSteps'));
    const nonFinite = meter.createObservableCounter(METRICS.trainNonFiniteLosses.otelName, opts('trainNonFiniteLosses'));
    this.decisions = meter.createCounter(METRICS.decisions.otelName, opts('decisions'));
    this.checkpointWrites = meter.createCounter(METRICS.checkpointWrites.otelName, opts('checkpointWrites'));
    this.checkpointDuration = meter.createHistogram(METRICS.checkpointDuration.otelName, {
      ...opts('checkpointDuration'),
      advice: { explicitBucketBoundaries: [...CHECKPOINT_DURATION_BUCKETS] },
    });
    this.exporterErrors = meter.createCounter(METRICS.exporterErrors.otelName, opts('exporterErrors'));
    this.exporterErrors.add(0, this.signalAttrs.metrics);
    this.exporterErrors.add(0, this.signalAttrs.traces);

    const gauge = (id: MetricId): ObservableGauge => meter.createObservableGauge(METRICS[id].otelName, opts(id));
    const g = {
      loss: gauge('trainLoss'),
      lr: gauge('trainLearningRate'),
      ips: gauge('trainThroughput'),
      step: gauge('trainStep'),
      epoch: gauge('trainEpoch'),
      lastTs: gauge('trainLastStepTimestamp'),
      auc: gauge('collapseAuc'),
      erank: gauge('collapseEffectiveRank'),
      srank: gauge('collapseStableRank'),
      alpha: gauge('collapseAlpha'),
      std: gauge('collapseNormalizedStd'),
      dims: gauge('collapseDimensions'),
      acc: gauge('evalAccuracy'),
      forecast: gauge('forecastAccuracy'),
      regime: gauge('regimeActive'),
      ckptBytes: gauge('checkpointSize'),
    };
    const accAttrs = { linear: { run_id: runId, method: 'linear_probe' }, knn: { run_id: runId, method: 'knn' } };
    const boundAttrs = {
      point: { run_id: runId, bound: 'point' },
      low: { run_id: runId, bound: 'low' },
      high: { run_id: runId, bound: 'high' },
    };
    meter.addBatchObservableCallback((o) => {
      const s = this.stepState;
      o.observe(nonFinite, s.nonFinite, this.base);
      if (s.has) {
        o.observe(steps, s.steps, this.base);
        o.observe(g.loss, s.loss, this.base);
        o.observe(g.lr, s.lr, this.base);
        o.observe(g.ips, s.ips, this.base);
        o.observe(g.step, s.step, this.base);
        o.observe(g.lastTs, s.lastTs, this.base);
        if (!Number.isNaN(s.epoch)) o.observe(g.epoch, s.epoch, this.base);
      }
      for (const output of OUTPUTS) this.observeCollapse(o, g, this.collapseState[output]);
      if (!Number.isNaN(this.accuracy.linear)) o.observe(g.acc, this.accuracy.linear, accAttrs.linear);
      if (!Number.isNaN(this.accuracy.knn)) o.observe(g.acc, this.accuracy.knn, accAttrs.knn);
      const f = this.forecastState;
      if (f.has) {
        o.observe(g.forecast, f.point, boundAttrs.point);
        o.observe(g.forecast, f.low, boundAttrs.low);
        o.observe(g.forecast, f.high, boundAttrs.high);
      }
      for (const r of this.regimes.values()) o.observe(g.regime, r.active, r.attrs);
      if (!Number.isNaN(this.checkpointState.bytes)) o.observe(g.ckptBytes, this.checkpointState.bytes, this.base);
    }, [...Object.values(g), steps, nonFinite]);
  }

  private observeCollapse(
    o: { observe(g: ObservableGauge, v: number, a: Attributes): void },
    g: Record<'auc' | 'erank' | 'srank' | 'alpha' | 'std' | 'dims', ObservableGauge>,
    c: CollapseState,
  ): void {
    if (!c.has) return;
    o.observe(g.auc, c.auc, c.attrs);
    o.observe(g.erank, c.effectiveRank, c.attrs);
    o.observe(g.srank, c.stableRank, c.attrs);
    o.observe(g.alpha, c.alpha, c.attrs);
    o.observe(g.std, c.std, c.attrs);
    o.observe(g.dims, c.dims, c.attrs);
  }

  /** Hot path: assigns numbers and observes one histogram. */
  step(r: StepRecord, nowMs: number): void {
    const s = this.stepState;
    s.has = true;
    s.loss = r.loss;
    s.lr = r.learningRate;
    s.ips = r.imagesPerSecond;
    s.step = r.step;
    if (r.epoch !== undefined) s.epoch = r.epoch;
    s.lastTs = nowMs / 1000;
    s.steps++;
    if (!Number.isFinite(r.loss)) s.nonFinite++;
    this.stepDuration.record(r.durationSeconds, this.base);
  }

  collapse(r: CollapseRecord): void {
    const c = this.collapseState[r.output];
    c.has = true;
    c.auc = r.auc;
    c.effectiveRank = r.effectiveRank;
    c.stableRank = r.stableRank;
    c.alpha = r.alpha;
    c.std = r.normalizedOutputStd;
    c.dims = r.dimensions;
  }

  evaluation(r: EvaluationRecord): void {
    if (r.linearProbeAccuracy !== undefined) this.accuracy.linear = r.linearProbeAccuracy;
    if (r.knnAccuracy !== undefined) this.accuracy.knn = r.knnAccuracy;
  }

  forecast(r: ForecastRecord): void {
    Object.assign(this.forecastState, { has: true, point: r.point, low: r.low, high: r.high });
  }

  checkpoint(r: CheckpointRecord): void {
    this.checkpointWrites.add(1, this.base);
    this.checkpointDuration.record(r.durationSeconds, this.base);
    if (r.bytes !== undefined) this.checkpointState.bytes = r.bytes;
  }

  regime(name: string): void {
    if (!this.regimes.has(name)) this.regimes.set(name, { active: 0, attrs: Object.freeze({ ...this.base, regime: name }) });
    for (const [k, v] of this.regimes) v.active = k === name ? 1 : 0;
  }

  decision(decision: string, reasonClass: string): void {
    this.decisions.add(1, { ...this.base, decision, reason_class: reasonClass });
  }

  exporterError(signal: OtlpSignal): void {
    this.exporterErrors.add(1, this.signalAttrs[signal]);
  }
}
