/**
 * The runs of one `siamwatch serve` or `siamwatch watch` process: creates a {@link ServedRun} on its first
 * ingest (at most `maxRuns`), decodes bodies (npy / safetensors / JSON sketch), completes stale steps, and
 * forgets runs idle for `runTtlMs` (their series leave `/metrics`). Shared by the HTTP server and the folder
 * watcher, so both monitor exactly alike.
 */
import { createTelemetry, type MultiRunMetrics, type Telemetry, type TelemetryLogger, type OtlpOptions } from '@siamwatch/telemetry';
import { BodyScratch, bodyFormatOf } from './embedding-body.ts';
import type { IngestParams } from './ingest-query.ts';
import type { RunDecision } from './run-decision.ts';
import { IngestError } from './serve-errors.ts';
import { ServedRun, type IngestPayload, type RunLimits } from './served-run.ts';
import { parseSketch } from './sketch-body.ts';

/** Options of {@link RunHub}. */
export interface RunHubOptions extends RunLimits {
  metrics: MultiRunMetrics;
  logger: TelemetryLogger;
  /** Most runs held at once (503 for a new run beyond, after expired ones are dropped). */
  maxRuns: number;
  /** A run with no post for this long is forgotten. */
  runTtlMs: number;
  /** Push each run's checks and decisions over OTLP. */
  otlp?: OtlpOptions;
  /** Called after each check of any run. */
  onDecision?: (decision: RunDecision) => void;
}

/** What one ingest accepted. */
export interface IngestResult {
  run: string;
  step: number;
  rank: number;
  /** Rows merged (the larger output's n for a two-output body). */
  rows: number;
  checks: number;
}

/** The runs of one process; see the module comment. */
export class RunHub {
  private readonly runs = new Map<string, { served: ServedRun; telemetry?: Telemetry }>();
  private readonly scratch = new BodyScratch();
  private readonly timer: NodeJS.Timeout;
  /** Per run, the tail of the queue that applies bodies in arrival order (decoding runs concurrently). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly options: RunHubOptions) {
    const tick = Math.max(50, Math.min(1000, options.stepTimeoutMs / 4));
    this.timer = setInterval(() => this.sweep(Date.now()), tick);
    this.timer.unref();
  }

  /** The run named `run`, if it is held. */
  get(run: string): ServedRun | undefined {
    return this.runs.get(run)?.served;
  }

  /** Names of the runs held. */
  names(): string[] {
    return [...this.runs.keys()];
  }

  /** Decodes `body` and merges it into `run`; throws IngestError / EmbeddingFormatError naming the problem. */
  async ingest(run: string, params: IngestParams, body: Uint8Array, contentType: string | undefined): Promise<IngestResult> {
    const previous = this.queues.get(run) ?? Promise.resolve();
    let release = (): void => undefined;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.queues.set(run, tail);
    try {
      const decoding = this.decode(body, contentType, params);
      await previous;
      const payload = await decoding;
      const served = await this.runFor(run);
      served.ingest(params, payload, body.length);
      const rows = payload.kind === 'rows' ? Math.max(...payload.outputs.map((o) => o.n)) : payload.sketch.n;
      return { run, step: params.step, rank: params.rank, rows, checks: served.checks };
    } finally {
      release();
      if (this.queues.get(run) === tail) this.queues.delete(run);
    }
  }

  /** Records a loss-only post. */
  async recordLoss(run: string, step: number, rank: number, loss: number): Promise<void> {
    (await this.runFor(run)).recordLoss(step, rank, loss);
  }

  /** Completes stale steps and forgets idle runs. */
  sweep(nowMs: number): void {
    for (const [name, { served, telemetry }] of this.runs) {
      served.completeStale(nowMs);
      if (nowMs - served.lastActivityMs >= this.options.runTtlMs) {
        this.runs.delete(name);
        this.options.metrics.removeRun(name);
        void telemetry?.shutdown();
        this.options.logger.info({ run: name }, `run ${name} expired after ${Math.round(this.options.runTtlMs / 1000)} s without posts`);
      }
    }
  }

  /** Completes every pending step, stops timers and OTLP exporters, removes the scratch directory. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    for (const { served } of this.runs.values()) served.completePending();
    await Promise.all([...this.runs.values()].map((r) => r.telemetry?.shutdown()));
    this.scratch.dispose();
  }

  private async decode(body: Uint8Array, contentType: string | undefined, params: IngestParams): Promise<IngestPayload> {
    if ((contentType ?? '').toLowerCase().includes('json')) {
      if (params.output === undefined) throw new IngestError('bad-query', 'query parameter output is required for a sketch body (backbone or projector)');
      return { kind: 'sketch', output: params.output, sketch: parseSketch(body) };
    }
    return { kind: 'rows', outputs: await this.scratch.decode(body, bodyFormatOf(body, contentType), params) };
  }

  private async runFor(run: string): Promise<ServedRun> {
    const held = this.runs.get(run);
    if (held !== undefined) return held.served;
    if (this.runs.size >= this.options.maxRuns) this.sweep(Date.now());
    if (this.runs.size >= this.options.maxRuns) {
      throw new IngestError('too-many-runs', `already watching ${this.runs.size} runs (--max-runs ${this.options.maxRuns}); wait for idle runs to expire`);
    }
    const telemetry = this.options.otlp === undefined ? undefined : await createTelemetry({ runId: run, serviceName: 'siamwatch-serve', otlp: this.options.otlp, logger: this.options.logger });
    const again = this.runs.get(run);
    if (again !== undefined) {
      void telemetry?.shutdown();
      return again.served;
    }
    const { metrics, logger, onDecision } = this.options;
    const served = new ServedRun(run, this.options, { metrics, logger, ...(telemetry ? { otlp: telemetry } : {}), ...(onDecision ? { onDecision } : {}) });
    this.runs.set(run, { served, ...(telemetry ? { telemetry } : {}) });
    return served;
  }
}
