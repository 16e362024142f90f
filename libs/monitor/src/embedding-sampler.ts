import { collapseMetrics, createMomentAccumulator, spectrumMetrics, type MomentAccumulator } from '@siamwatch/collapse-metrics';
import { MonitorError, describeValue } from './monitor-error.ts';
import { NormalizedStdTracker, type EmbeddingBatch, type OutputMetrics } from './output-metrics.ts';
import { createRandom, type Random } from './random.ts';
import type { ResolvedSamplingOptions } from './sampling-options.ts';

/**
 * Samples the embeddings of one output between checks and turns them into
 * {@link OutputMetrics}. `reservoir`: a uniform sample (Vitter's algorithm R) of at
 * most `capacity` rows of everything observed since the last check, cleared at each
 * check. `moments`: a decayed moment accumulator of collapse-metrics fed with up to
 * `rowsPerBatch` rows per batch, never cleared (the decay keeps it recent).
 */
export interface EmbeddingSampler {
  readonly dim: number | undefined;
  /** Rows offered since the last summary. */
  readonly rowsSeen: number;
  add(batch: EmbeddingBatch): void;
  /** A copy of the rows currently held (`reservoir` mode; undefined in `moments` mode or before any row). */
  sampleRows(): EmbeddingBatch | undefined;
  /** Spectrum metrics of the current sample, or undefined with fewer than 2 rows. */
  summarize(): OutputMetrics | undefined;
}

function checkBatch(name: string, batch: EmbeddingBatch, dim: number | undefined): void {
  const { data, n, d } = batch;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    throw new MonitorError('invalid-observation', `${name}.data must be a Float32Array or Float64Array, got ${describeValue(data)}`);
  }
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(d) || d < 1 || data.length !== n * d) {
    throw new MonitorError('invalid-observation', `${name} must be n x d with data.length = n * d, got n=${describeValue(n)} d=${describeValue(d)} length=${data.length}`);
  }
  if (dim !== undefined && d !== dim) {
    throw new MonitorError('invalid-observation', `${name}.d changed from ${dim} to ${d}`);
  }
}

function checkRow(name: string, data: Float32Array | Float64Array, row: number, d: number): void {
  for (let j = 0; j < d; j++) {
    const v = data[row * d + j];
    if (!Number.isFinite(v)) throw new MonitorError('invalid-observation', `${name} row ${row}, column ${j} is ${describeValue(v)}`);
  }
}

function reservoirSampler(name: string, capacity: number, normalize: boolean, random: Random): EmbeddingSampler {
  let dim: number | undefined;
  let rows: Float32Array | undefined;
  let seen = 0;
  return {
    get dim() {
      return dim;
    },
    get rowsSeen() {
      return seen;
    },
    add(batch) {
      checkBatch(name, batch, dim);
      const { data, n, d } = batch;
      if (rows === undefined) {
        dim = d;
        rows = new Float32Array(capacity * d);
      }
      for (let r = 0; r < n; r++) {
        const slot = seen < capacity ? seen : random.int(seen + 1);
        seen += 1;
        if (slot >= capacity) continue;
        checkRow(name, data, r, d);
        rows.set(data.subarray(r * d, (r + 1) * d), slot * d);
      }
    },
    sampleRows() {
      const n = Math.min(seen, capacity);
      if (rows === undefined || dim === undefined || n === 0) return undefined;
      return { data: rows.slice(0, n * dim), n, d: dim };
    },
    summarize() {
      const n = Math.min(seen, capacity);
      seen = 0;
      if (rows === undefined || dim === undefined || n < 2) return undefined;
      const d = dim;
      const report = collapseMetrics(rows.subarray(0, n * d), n, d, { normalize });
      const { singularValues: _s, ...metrics } = report;
      return { ...metrics, n, dim: d, normalizedStd: metrics.normalizedStd * Math.sqrt(d) };
    },
  };
}

function momentSampler(name: string, decay: number, rowsPerBatch: number, normalize: boolean, random: Random): EmbeddingSampler {
  let accumulator: MomentAccumulator | undefined;
  let stdTracker: NormalizedStdTracker | undefined;
  let seen = 0;
  return {
    get dim() {
      return accumulator?.dim;
    },
    get rowsSeen() {
      return seen;
    },
    add(batch) {
      checkBatch(name, batch, accumulator?.dim);
      const { data, n, d } = batch;
      if (accumulator === undefined) {
        accumulator = createMomentAccumulator({ dim: d, normalize, decay });
        stdTracker = new NormalizedStdTracker(d, decay);
      }
      const k = Math.min(n, rowsPerBatch);
      const offset = n > k ? random.int(n - k + 1) : 0;
      const part = data.subarray(offset * d, (offset + k) * d);
      for (let r = 0; r < k; r++) checkRow(name, part, r, d);
      accumulator.add(part, k);
      stdTracker?.add(part, k);
      seen += n;
    },
    sampleRows() {
      return undefined;
    },
    summarize() {
      seen = 0;
      if (accumulator === undefined || stdTracker === undefined || accumulator.count < 2) return undefined;
      const metrics = spectrumMetrics(accumulator.singularValues());
      return { ...metrics, n: accumulator.count, dim: accumulator.dim, normalizedStd: stdTracker.value() };
    },
  };
}

/** Creates the {@link EmbeddingSampler} of output `name` for resolved sampling options. */
export function createEmbeddingSampler(name: string, options: ResolvedSamplingOptions): EmbeddingSampler {
  const random = createRandom(options.seed + (name === 'projector' ? 1 : 0));
  return options.mode === 'reservoir'
    ? reservoirSampler(name, options.capacity, options.normalize, random)
    : momentSampler(name, options.decay, options.rowsPerBatch, options.normalize, random);
}
