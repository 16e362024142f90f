/**
 * One run watched by `siamwatch serve` / `watch`: its live monitor (libs/monitor, method-aware loss floor), the
 * steps being gathered from the ranks, the latest decision, and where checks are reported (multi-run
 * `/metrics`, the run's live history, OTLP when configured). A step is complete, and becomes one monitor check,
 * when `world_size` distinct ranks posted it (with `world_size`), when any rank posts a later step (without
 * `world_size`), or when no rank posted it for `stepTimeoutMs`; steps are checked in step order. Memory: at most
 * {@link MAX_PENDING_BYTES} of pending steps (d x d moments per output each) plus bounded histories.
 */
import { createMonitor, type CheckMetrics, type Monitor, type MonitorCheck } from '@siamwatch/monitor';
import { LiveHistory, OUTPUTS, type MultiRunMetrics, type TelemetryLogger, type TelemetrySink } from '@siamwatch/telemetry';
import { collapseRecordFromCheck } from '../integrations/collapse-records.ts';
import { telemetryDecisionOf } from '../integrations/monitor-records.ts';
import type { OutputRows } from './embedding-body.ts';
import type { IngestParams } from './ingest-query.ts';
import { initialDecision, nextDecision, type RunDecision } from './run-decision.ts';
import { IngestError } from './serve-errors.ts';
import type { Sketch } from './sketch-body.ts';
import { StepSketch } from './step-sketch.ts';

/** Per-run limits (defaults in serve-options.ts). */
export interface RunLimits {
  /** Bytes all ranks may send for one step of one run (413 beyond). */
  maxStepBytes: number;
  /** Largest embedding dimension d accepted (memory is d^2 per output). */
  maxDim: number;
  /** A step nobody posted to for this long is complete. */
  stepTimeoutMs: number;
}

/** Where a run reports; `otlp` only when OTLP is configured. */
export interface RunSinks {
  metrics: MultiRunMetrics;
  otlp?: TelemetrySink;
  logger: TelemetryLogger;
  /** Called after every check with the new decision (watch mode writes decision.json). */
  onDecision?: (decision: RunDecision) => void;
}

/** What one ingest carries: rows per output, or one output's sketch. */
export type IngestPayload = { kind: 'rows'; outputs: OutputRows[] } | { kind: 'sketch'; output: 'backbone' | 'projector'; sketch: Sketch };

/** The regimes the live page knows (the monitor's `multi-epoch` is shown as `iid`). */
const LIVE_REGIMES = ['iid', 'continual'];

/**
 * Memory the pending steps of one run may hold (their d x d moments); beyond it (and beyond 2 steps), the oldest
 * step is checked with the ranks it has. At d = 64 that is 64 steps, at d = 2048 two.
 */
export const MAX_PENDING_BYTES = 64 * 1024 * 1024;
/** Upper bound on pending steps whatever their size. */
export const MAX_PENDING_STEPS = 64;

/** One watched run; see the module comment. */
export class ServedRun {
  readonly live: LiveHistory;
  lastActivityMs = Date.now();
  private monitor: Monitor | undefined;
  private method: IngestParams['method'] | undefined;
  private readonly pending = new Map<number, StepSketch>();
  private lastChecked = -1;
  private lossSum = 0;
  private lossCount = 0;
  private decisionNow: RunDecision;

  constructor(
    readonly run: string,
    private readonly limits: RunLimits,
    private readonly sinks: RunSinks,
  ) {
    this.live = new LiveHistory(run, 2048, LIVE_REGIMES);
    this.decisionNow = initialDecision(run);
  }

  /** The decision the trainer should obey now. */
  get decision(): RunDecision {
    return this.decisionNow;
  }

  /** Checks run so far. */
  get checks(): number {
    return this.monitor?.checks.length ?? 0;
  }

  /** Merges one rank's samples of `params.step` (completing earlier steps first); throws IngestError. */
  ingest(params: IngestParams, payload: IngestPayload, bytes: number): void {
    const { step, rank } = params;
    if (step <= this.lastChecked) {
      throw new IngestError('late-step', `step ${step} of run ${this.run} was already checked (last checked step ${this.lastChecked})`);
    }
    this.checkShape(payload);
    this.monitorFor(params.method);
    if (params.world_size === undefined) this.completeUpTo(step - 1);
    const sketch = this.pending.get(step) ?? new StepSketch(step);
    if (sketch.bytes + bytes > this.limits.maxStepBytes) {
      throw new IngestError('too-large', `run ${this.run} step ${step} would receive ${sketch.bytes + bytes} bytes, over the limit of ${this.limits.maxStepBytes} per run and step`);
    }
    sketch.check(payload.kind === 'rows' ? payload.outputs : [{ output: payload.output, d: payload.sketch.sum.length }]);
    if (payload.kind === 'rows') for (const rows of payload.outputs) sketch.addRows(rows);
    else sketch.addSketch(payload.output, payload.sketch);
    this.pending.set(step, sketch);
    sketch.bytes += bytes;
    sketch.ranks.add(rank);
    sketch.totalSteps = params.total_steps;
    sketch.regime = params.regime;
    sketch.lastPostMs = this.lastActivityMs = Date.now();
    const rowsIn = payload.kind === 'rows' ? Math.max(...payload.outputs.map((o) => o.n)) : payload.sketch.n;
    this.sinks.metrics.recordSamples(this.run, rank, rowsIn);
    if (params.loss !== undefined) this.recordLoss(step, rank, params.loss);
    if (params.world_size !== undefined && sketch.ranks.size >= params.world_size) sketch.ready = true;
    while (this.pending.size > 2 && (this.pending.size > MAX_PENDING_STEPS || this.pendingBytes() > MAX_PENDING_BYTES)) {
      this.completeUpTo(Math.min(...this.pending.keys()));
    }
    this.checkReady();
  }

  /** Records one rank's loss at `step` (also from loss-only posts); it enters the next check's mean loss. */
  recordLoss(step: number, rank: number, loss: number): void {
    this.lastActivityMs = Date.now();
    this.sinks.metrics.recordLoss(this.run, rank, step, loss);
    if (Number.isFinite(loss)) {
      this.lossSum += loss;
      this.lossCount += 1;
    }
    if (rank === 0) this.guard('live step', () => this.live.step({ step, loss, learningRate: Number.NaN, imagesPerSecond: Number.NaN, durationSeconds: Number.NaN }, Date.now()));
  }

  /** Completes the pending step if no rank posted to it for `stepTimeoutMs`. */
  completeStale(nowMs: number): void {
    for (const sketch of [...this.pending.values()]) {
      if (nowMs - sketch.lastPostMs >= this.limits.stepTimeoutMs) this.completeUpTo(sketch.step);
    }
    this.checkReady();
  }

  /**
   * Checks complete steps in step order: a step all `world_size` ranks posted waits for the older steps still
   * gathering (ranks' posts may arrive out of order), which complete on their own, by timeout or memory bound.
   */
  private checkReady(): void {
    const steps = [...this.pending.keys()].sort((a, b) => a - b);
    for (const s of steps) {
      const sketch = this.pending.get(s);
      if (sketch === undefined || !sketch.ready) break;
      this.complete(sketch);
    }
  }

  /** Completes every pending step now (shutdown). */
  completePending(): void {
    this.completeUpTo(Infinity);
  }

  /** Bytes held by the pending steps' moments. */
  private pendingBytes(): number {
    let bytes = 0;
    for (const sketch of this.pending.values()) bytes += sketch.momentBytes();
    return bytes;
  }

  /** Checks the pending steps up to `step`, in step order. */
  private completeUpTo(step: number): void {
    const due = [...this.pending.keys()].filter((s) => s <= step).sort((a, b) => a - b);
    for (const s of due) {
      const sketch = this.pending.get(s);
      if (sketch !== undefined) this.complete(sketch);
    }
  }

  private checkShape(payload: IngestPayload): void {
    const dims = payload.kind === 'rows' ? payload.outputs.map((o) => [o.output, o.d] as const) : [[payload.output, payload.sketch.sum.length] as const];
    for (const [output, d] of dims) {
      if (d > this.limits.maxDim) throw new IngestError('too-large', `${output} has d = ${d}, over the limit of ${this.limits.maxDim} dimensions`);
    }
  }

  private monitorFor(method: IngestParams['method']): Monitor {
    if (this.monitor !== undefined && method !== this.method) {
      throw new IngestError('bad-query', `query parameter method: run ${this.run} is ${this.method}, got '${method}'`);
    }
    // Same settings as `siamwatch train --monitor act` (see monitor-extension.ts): checks are driven by the
    // posted steps, and the forecast-plateau stop is held until the end (minProgress 1).
    this.monitor ??= createMonitor({
      maxOverhead: 1,
      policy: 'act',
      decision: { minProgress: 1 },
      onset: { lossFloor: method === 'byol' ? 0 : -1 },
    });
    this.method = method;
    return this.monitor;
  }

  private complete(sketch: StepSketch): void {
    this.pending.delete(sketch.step);
    this.lastChecked = Math.max(this.lastChecked, sketch.step);
    const summaries = sketch.summarize();
    const loss = this.lossCount > 0 ? this.lossSum / this.lossCount : Number.NaN;
    this.lossSum = 0;
    this.lossCount = 0;
    const metrics: CheckMetrics = { loss };
    for (const output of OUTPUTS) {
      const s = summaries[output];
      if (s !== undefined) metrics[output] = s.metrics;
    }
    if (metrics.backbone === undefined && metrics.projector === undefined) return;
    const monitor = this.monitor;
    if (monitor === undefined) return;
    let check: MonitorCheck;
    try {
      check = monitor.checkWith({ step: sketch.step, totalSteps: sketch.totalSteps, regime: sketch.regime }, metrics);
    } catch (error) {
      this.sinks.logger.error({ run: this.run, step: sketch.step, error: String(error) }, 'monitor check failed');
      return;
    }
    this.decisionNow = nextDecision(this.decisionNow, check, monitor.checks.length);
    this.report(check, summaries);
    this.sinks.onDecision?.(this.decisionNow);
  }

  private report(check: MonitorCheck, summaries: ReturnType<StepSketch['summarize']>): void {
    const now = Date.now();
    const { metrics, otlp } = this.sinks;
    metrics.recordCheck(this.run);
    for (const output of OUTPUTS) {
      const s = summaries[output];
      if (s === undefined) continue;
      const record = { ...collapseRecordFromCheck(check.step, output, s.metrics), singularValues: s.singularValues };
      this.guard('collapse', () => metrics.recordCollapse(this.run, record));
      this.guard('live collapse', () => this.live.collapseMetrics(record, now));
      if (otlp) this.guard('otlp collapse', () => otlp.recordCollapse(record));
    }
    const f = { step: check.step, point: check.forecast.point, low: check.forecast.low, high: check.forecast.high };
    this.guard('forecast', () => metrics.recordForecast(this.run, f));
    this.guard('live forecast', () => this.live.forecastAccuracy(f, now));
    if (otlp) this.guard('otlp forecast', () => otlp.recordForecast(f));
    const decision = telemetryDecisionOf(check);
    if (decision === undefined) return;
    this.guard('decision', () => metrics.recordDecision(this.run, decision));
    this.guard('live decision', () => this.live.decision(decision, now));
    if (otlp) this.guard('otlp decision', () => otlp.recordDecision(decision));
    this.sinks.logger.warn({ run: this.run, step: check.step, decision: check.decision.decision }, `run ${this.run}: ${check.decision.decision} at step ${check.step}: ${check.decision.reason}`);
  }

  /** Telemetry never takes ingestion down: a failing recorder is logged and skipped. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.sinks.logger.warn({ run: this.run, what, error: String(error) }, `serve: ${what} not recorded`);
    }
  }
}
