/**
 * Optional async spectrum that splits the scatter accumulation between the calling thread and one
 * or more `worker_threads` (the machine this targets has 2 cores). The sync API stays the reference;
 * this only pays off for large `n * d^2`, so small inputs run synchronously. The workers are started
 * on the first call and kept, unref()ed, for the next ones (`scatter-worker-pool.ts`).
 *
 * Each worker runs the same kernel as the calling thread (the WebAssembly SIMD one, whose compiled
 * module is posted to it, or `addCentredScatter`, built from that function's own source), on a
 * copy of its share of the rows, centred on the global mean computed up front; the
 * partial scatters are then summed (same mean, so no cross term). Building the worker from function
 * source needs unminified, uninstrumented code (true here: sources run through tsx, and vitest's
 * default V8 coverage does not rewrite them); a minifier or istanbul coverage would break it.
 */
import type { Matrix } from './matrix.ts';
import { assertShape, inverseRowNorms } from './matrix.ts';
import { SCATTER_BLOCK_ROWS } from './scatter-kernel.ts';
import { runScatterJob } from './scatter-worker-pool.ts';
import { resolveScatterKernel } from './simd-scatter.ts';
import type { SpectrumOptions } from './singular-values.ts';
import { singularValuesOfScatter } from './singular-values.ts';

/** Options of {@link singularValuesParallel}. */
export interface ParallelSpectrumOptions extends SpectrumOptions {
  /** Threads sharing the accumulation, the calling one included. Default 2; 1 = synchronous. */
  threads?: number;
  /**
   * Below this many multiply-adds (`n * d^2 / 2`) everything runs on the calling thread (a worker costs
   * ~30-50 ms to start, once per process). Default 2^29 with the SIMD kernel (~11 G/s per core), 2^27 with the TypeScript one.
   */
  minWork?: number;
}

/**
 * Same result as {@link singularValues} (descending singular values of the mean-centred, optionally
 * row-normalised `n x d` matrix; equal up to float64 summation order, ~1e-15 relative), with the
 * Gram accumulation split over `threads` threads. Validates exactly like the sync version (throws
 * {@link CollapseMetricsError} before starting any worker).
 */
export async function singularValuesParallel(
  x: Matrix,
  n: number,
  d: number,
  options: ParallelSpectrumOptions = {},
): Promise<Float64Array> {
  assertShape(x, n, d, 2);
  const kernel = resolveScatterKernel(options.kernel, d);
  const scale = options.normalize === true ? inverseRowNorms(x, n, d) : null;
  const mean = kernel.means(x, n, d, scale);
  const threads = Math.max(1, Math.floor(options.threads ?? 2));
  const work = (n * d * d) / 2;
  const scatter = new Float64Array(d * d);
  if (threads === 1 || work < (options.minWork ?? (kernel.module === null ? 2 ** 27 : 2 ** 29))) {
    kernel.scatter(x, n, d, mean, scale, scatter);
    return singularValuesOfScatter(scatter, d, options.kernel);
  }
  // Row shares, multiples of the block size; the calling thread takes the first share.
  const per = Math.ceil(n / threads / SCATTER_BLOCK_ROWS) * SCATTER_BLOCK_ROWS;
  const jobs: Promise<Float64Array>[] = [];
  for (let start = per; start < n; start += per) {
    const end = Math.min(n, start + per);
    const rows = x.slice(start * d, end * d);
    const rowScale = scale === null ? null : scale.slice(start, end);
    jobs.push(runScatterJob(jobs.length, { rows, n: end - start, d, mean, scale: rowScale, module: kernel.module }));
  }
  const ownRows = Math.min(per, n);
  kernel.scatter(x.subarray(0, ownRows * d), ownRows, d, mean, scale === null ? null : scale.subarray(0, ownRows), scatter);
  for (const part of await Promise.all(jobs)) {
    for (let i = 0; i < d; i++) {
      const row = i * d;
      for (let j = i; j < d; j++) scatter[row + j] += part[row + j];
    }
  }
  return singularValuesOfScatter(scatter, d, options.kernel);
}
