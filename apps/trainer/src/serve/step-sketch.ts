/**
 * Everything the ranks of one run sent for one step, merged as they arrive: per output, a moment accumulator
 * (collapse-metrics; rows and sketches merge exactly, so N ranks read as one n x d sample) and the
 * normalised-output std accumulator; plus the ranks seen, their losses and the bytes received.
 */
import { createMomentAccumulator, spectrumMetrics, type MomentAccumulator } from '@siamwatch/collapse-metrics';
import type { OutputMetrics } from '@siamwatch/monitor';
import type { OutputName } from '@siamwatch/telemetry';
import { createNormalizedStdAccumulator, type NormalizedStdAccumulator } from '../analyze/normalized-std-accumulator.ts';
import type { OutputRows } from './embedding-body.ts';
import { IngestError } from './serve-errors.ts';
import { sketchAccumulator, type Sketch } from './sketch-body.ts';

interface OutputSketch {
  moments: MomentAccumulator;
  std: NormalizedStdAccumulator;
}

/** Metrics of one output at a completed step, with its singular values for the live spectrum. */
export interface StepOutputSummary {
  metrics: OutputMetrics;
  singularValues: Float64Array;
}

/** The merged samples of one step of one run. */
export class StepSketch {
  readonly ranks = new Set<number>();
  readonly losses = new Map<number, number>();
  bytes = 0;
  /** All `world_size` ranks posted: checked once every older step is checked. */
  ready = false;
  totalSteps = 1;
  regime: 'iid' | 'multi-epoch' | 'continual' = 'iid';
  /** Set by the run when the step's timeout timer should fire (ms since epoch). */
  lastPostMs = Date.now();
  private readonly outputs = new Map<OutputName, OutputSketch>();

  constructor(readonly step: number) {}

  /**
   * Checks a body before anything of it is merged (so a refused body leaves the step untouched): finite rows
   * (IngestError `bad-value` names the first bad element) and the same d as earlier posts of the step.
   */
  check(parts: readonly { output: OutputName; d: number; rows?: Float32Array | Float64Array }[]): void {
    for (const { output, d, rows } of parts) {
      const known = this.outputs.get(output)?.moments.dim;
      if (known !== undefined && known !== d) throw new IngestError('dimension-changed', `${output} has d = ${known} at step ${this.step}, got d = ${d}`);
      if (rows === undefined) continue;
      for (let i = 0; i < rows.length; i++) {
        const v = rows[i] ?? 0;
        if (!Number.isFinite(v)) throw new IngestError('bad-value', `request body: ${output} row ${Math.floor(i / d)}, column ${i % d} is ${String(v)}`);
      }
    }
  }

  /** Merges one body's rows (after {@link StepSketch.check}). */
  addRows({ output, rows, n, d }: OutputRows): void {
    const o = this.outputOf(output, d);
    o.moments.add(rows, n);
    o.std.add(rows, n);
  }

  /** Merges a sketch of `output`. */
  addSketch(output: OutputName, sketch: Sketch): void {
    const d = sketch.sum.length;
    const o = this.outputOf(output, d);
    o.moments.merge(sketchAccumulator(sketch));
    o.std.addMoments(sketch.n, sketch.normalizedSum, sketch.normalizedSquareSum);
  }

  /** Bytes of the d x d moments held (8 d^2 per output). */
  momentBytes(): number {
    let bytes = 0;
    for (const o of this.outputs.values()) bytes += 8 * o.moments.dim * o.moments.dim;
    return bytes;
  }

  /** Mean loss over the ranks that sent one (NaN when none did). */
  meanLoss(): number {
    const finite = [...this.losses.values()].filter(Number.isFinite);
    return finite.length === 0 ? Number.NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
  }

  /** Spectrum metrics per output (outputs with fewer than 2 rows are left out). */
  summarize(): Partial<Record<OutputName, StepOutputSummary>> {
    const out: Partial<Record<OutputName, StepOutputSummary>> = {};
    for (const [name, o] of this.outputs) {
      if (o.moments.count < 2) continue;
      const singularValues = o.moments.singularValues();
      const metrics = spectrumMetrics(singularValues);
      const normalizedStd = o.std.value() * Math.sqrt(o.moments.dim);
      out[name] = { metrics: { ...metrics, n: o.moments.count, dim: o.moments.dim, normalizedStd }, singularValues };
    }
    return out;
  }

  private outputOf(output: OutputName, d: number): OutputSketch {
    let o = this.outputs.get(output);
    if (o === undefined) {
      o = { moments: createMomentAccumulator({ dim: d }), std: createNormalizedStdAccumulator(d) };
      this.outputs.set(output, o);
    }
    return o;
  }
}
