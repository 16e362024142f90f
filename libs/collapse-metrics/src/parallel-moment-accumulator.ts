/**
 * A streaming accumulator that keeps both cores busy: while a worker thread accumulates the scatter of
 * one chunk, the calling thread reads the next chunk and, when every worker is busy, accumulates it
 * itself. For `siamwatch analyze`-style passes over large `.npy` files; the sync
 * {@link createMomentAccumulator} stays the reference (and the only one with `decay`).
 *
 * Each chunk's scatter is taken around the chunk's own mean (as in the sync accumulator); the
 * calling thread keeps the between-chunk term `sum_c n_c (m_c - m)(m_c - m)^T` with Chan et al.'s
 * update, so the total `S = sum_c S_c + between` is exact whichever thread summed which chunk.
 */
import { Worker } from 'node:worker_threads';
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import type { Matrix } from './matrix.ts';
import { assertShape, inverseRowNorms } from './matrix.ts';
import type { MomentAccumulator } from './moment-accumulator.ts';
import { momentAccumulatorFromState } from './moment-accumulator.ts';
import { SCATTER_BLOCK_ROWS, addCentredScatter, scatterBlock } from './scatter-kernel.ts';
import type { ScatterKernel } from './simd-scatter.ts';
import { createSimdScatter, resolveScatterKernel } from './simd-scatter.ts';

/** Options of {@link createParallelMomentAccumulator}. */
export interface ParallelMomentAccumulatorOptions {
  /** Dimension `d` of the rows. */
  dim: number;
  /** L2-normalise each row before accumulating it. Default `false`. */
  normalize?: boolean;
  /** Threads, the calling one included (so `threads - 1` workers). Default 2. */
  threads?: number;
  /** Scatter kernel of every thread: `'auto'` (default), `'simd'` or `'typescript'`, as in `singularValues`. */
  kernel?: ScatterKernel;
}

/** An accumulator whose chunks are shared between the calling thread and worker threads. */
export interface ParallelMomentAccumulator {
  /** Dimension `d` of the rows. */
  readonly dim: number;
  /** Rows added so far. */
  readonly count: number;
  /** Validates and adds `n` rows (copied if handed to a worker); resolves once they are accounted for. */
  add(rows: Matrix, n: number): Promise<void>;
  /** Waits for the workers, stops them and returns an ordinary (serialisable) {@link MomentAccumulator}. */
  finish(): Promise<MomentAccumulator>;
  /** Stops the workers without a result (after an error, for instance). */
  close(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SCATTER_BLOCK_ROWS = ${SCATTER_BLOCK_ROWS};
const scatterBlock = ${scatterBlock.toString()};
const addCentredScatter = ${addCentredScatter.toString()};
const createSimdScatter = ${createSimdScatter.toString()};
const add = workerData.module === null ? addCentredScatter : createSimdScatter(workerData.module);
const d = workerData.dim;
const target = new Float64Array(d * d);
parentPort.on('message', (msg) => {
  if (msg.type === 'add') {
    add(msg.rows, msg.n, d, msg.mean, msg.scale, target);
    parentPort.postMessage({ type: 'done' });
  } else {
    parentPort.postMessage({ type: 'scatter', target }, [target.buffer]);
  }
});
`;

interface Slot {
  worker: Worker;
  idle: Promise<void>;
  release: () => void;
  busy: boolean;
}

function startSlot(dim: number, module: WebAssembly.Module | null, onError: (err: Error) => void): Slot {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { dim, module } });
  const slot: Slot = { worker, idle: Promise.resolve(), release: () => undefined, busy: false };
  worker.on('error', (err: Error) => {
    onError(err);
    slot.release(); // so that finish() reports the error instead of waiting forever
  });
  worker.on('message', (msg: { type: string }) => {
    if (msg.type === 'done') {
      slot.busy = false;
      slot.release();
    }
  });
  return slot;
}

/**
 * Creates a parallel accumulator of `dim`-dimensional rows with `threads - 1` worker threads (started
 * now, stopped by `finish()` or `close()`). After all chunks, `finish()` gives the same spectrum as
 * the sync accumulator or `singularValues` on all rows (~1e-15 relative). Throws `zero-dim` for a bad
 * `dim`, `bad-option` for fewer than 2 threads or an unknown `kernel`, `kernel-unavailable` as in
 * `singularValues`; `add()` rejects bad rows like the sync `add()`.
 */
export function createParallelMomentAccumulator(options: ParallelMomentAccumulatorOptions): ParallelMomentAccumulator {
  const d = options.dim;
  if (!Number.isInteger(d) || d <= 0) throw new CollapseMetricsError('zero-dim', `dim must be a positive integer, got ${d}`);
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 2) {
    throw new CollapseMetricsError('bad-option', `threads must be an integer >= 2, got ${threads}`);
  }
  const normalize = options.normalize === true;
  const kernel = resolveScatterKernel(options.kernel, d);
  let failure: Error | null = null;
  const slots = Array.from({ length: threads - 1 }, () => startSlot(d, kernel.module, (err) => (failure ??= err)));
  const own = new Float64Array(d * d);
  const mean = new Float64Array(d);
  let count = 0;
  let finished = false;

  const check = (): void => {
    if (failure !== null) throw failure;
    if (finished) throw new CollapseMetricsError('bad-state', 'parallel accumulator already finished or closed');
  };

  /** Chan's update of mean and the between-chunk scatter (kept in `own`) for a chunk (n, m). */
  const combine = (n: number, m: Float64Array): void => {
    const total = count + n;
    const f = (count * n) / total;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) delta[i] = m[i] - mean[i];
    for (let i = 0; i < d; i++) {
      const fi = f * delta[i];
      for (let j = i; j < d; j++) own[i * d + j] += fi * delta[j];
    }
    for (let i = 0; i < d; i++) mean[i] += (delta[i] * n) / total;
    count = total;
  };

  const stop = async (): Promise<void> => {
    finished = true;
    await Promise.all(slots.map((s) => s.worker.terminate()));
  };

  return {
    dim: d,
    get count() {
      return count;
    },
    async add(rows: Matrix, n: number): Promise<void> {
      check();
      assertShape(rows, n, d, 0);
      if (n === 0) return;
      const scale = normalize ? inverseRowNorms(rows, n, d, count) : null;
      const chunkMean = kernel.means(rows, n, d, scale, count);
      combine(n, chunkMean);
      const slot = slots.find((s) => !s.busy);
      if (slot === undefined) {
        kernel.scatter(rows, n, d, chunkMean, scale, own);
        // Let finished workers report before the next chunk is dispatched.
        await new Promise((resolve) => setImmediate(resolve));
        return;
      }
      slot.busy = true;
      slot.idle = new Promise((resolve) => (slot.release = resolve));
      const copy = rows.slice(0, n * d);
      slot.worker.postMessage({ type: 'add', rows: copy, n, mean: chunkMean, scale }, [copy.buffer as ArrayBuffer]);
    },
    async finish(): Promise<MomentAccumulator> {
      check();
      await Promise.all(slots.map((s) => s.idle));
      if (failure !== null) throw failure;
      const parts = await Promise.all(
        slots.map(
          (s) =>
            new Promise<Float64Array>((resolve) => {
              s.worker.on('message', (msg: { type: string; target?: Float64Array }) => {
                if (msg.type === 'scatter' && msg.target !== undefined) resolve(msg.target);
              });
              s.worker.postMessage({ type: 'scatter' });
            }),
        ),
      );
      await stop();
      const packed: number[] = [];
      for (let i = 0; i < d; i++) {
        for (let j = i; j < d; j++) {
          let v = own[i * d + j];
          for (const part of parts) v += part[i * d + j];
          packed.push(v);
        }
      }
      const state = { version: 1 as const, dim: d, normalize, decay: 1, count, rowsSeen: count, mean: Array.from(mean), scatter: packed };
      return momentAccumulatorFromState(state, { kernel: options.kernel });
    },
    close: stop,
  };
}
