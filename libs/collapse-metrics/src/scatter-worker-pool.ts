/**
 * The worker threads of {@link singularValuesParallel}, started on first use and kept for later calls
 * (a worker costs ~30-50 ms of CPU to start on an idle machine, ~80 ms under load: as much as the
 * SIMD scatter of a 10000 x 512 matrix). Idle workers are `unref()`ed, so they never keep the process
 * alive; a worker with a job in flight is `ref()`ed until the job is answered. A worker that fails
 * rejects its jobs and is replaced on the next call. No side effect on import.
 */
import { Worker } from 'node:worker_threads';
import type { Matrix } from './matrix.ts';
import { SCATTER_BLOCK_ROWS, addCentredScatter, scatterBlock } from './scatter-kernel.ts';
import { createSimdScatter } from './simd-scatter.ts';

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const SCATTER_BLOCK_ROWS = ${SCATTER_BLOCK_ROWS};
const scatterBlock = ${scatterBlock.toString()};
const addCentredScatter = ${addCentredScatter.toString()};
const createSimdScatter = ${createSimdScatter.toString()};
let simd = null;
parentPort.on('message', ({ id, rows, n, d, mean, scale, module }) => {
  const target = new Float64Array(d * d);
  if (module !== null && simd === null) simd = createSimdScatter(module);
  const add = module === null ? addCentredScatter : simd;
  add(rows, n, d, mean, scale, target);
  parentPort.postMessage({ id, target }, [target.buffer]);
});
`;

/** One share of rows for a worker: same arguments as the scatter kernel, plus the SIMD module or null. */
export interface ScatterJob {
  rows: Matrix;
  n: number;
  d: number;
  mean: Float64Array;
  scale: Float64Array | null;
  module: WebAssembly.Module | null;
}

interface Pending {
  resolve: (target: Float64Array) => void;
  reject: (err: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

const pool: (PooledWorker | undefined)[] = [];
let nextId = 0;

function startWorker(index: number): PooledWorker {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  worker.unref();
  const entry: PooledWorker = { worker, pending: new Map() };
  const fail = (err: Error): void => {
    if (pool[index] === entry) pool[index] = undefined;
    for (const p of entry.pending.values()) p.reject(err);
    entry.pending.clear();
  };
  worker.on('message', ({ id, target }: { id: number; target: Float64Array }) => {
    const p = entry.pending.get(id);
    entry.pending.delete(id);
    if (entry.pending.size === 0) worker.unref();
    p?.resolve(target);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`scatter worker exited with code ${code}`)));
  return entry;
}

/**
 * Runs `job` on pooled worker `index` (started if needed) and resolves with its `d x d` scatter
 * (upper triangle valid). `job.rows` is transferred (detached in the caller).
 */
export function runScatterJob(index: number, job: ScatterJob): Promise<Float64Array> {
  const entry = (pool[index] ??= startWorker(index));
  const id = nextId++;
  return new Promise((resolve, reject) => {
    if (entry.pending.size === 0) entry.worker.ref();
    entry.pending.set(id, { resolve, reject });
    entry.worker.postMessage({ id, ...job }, [job.rows.buffer as ArrayBuffer]);
  });
}

/** Stops every pooled worker (they are started again on the next parallel call). */
export async function closeScatterWorkers(): Promise<void> {
  const entries = pool.splice(0).filter((e): e is PooledWorker => e !== undefined);
  await Promise.all(entries.map((e) => e.worker.terminate()));
}
