/**
 * The WebAssembly SIMD scatter kernel (`wasm/scatter-simd.ts`, in the module of `simd-module.ts`)
 * and how the library chooses between it and the pure-TypeScript {@link addCentredScatter}, which
 * stays the reference and the fallback.
 */
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import { addCentredScatter, columnMeans } from './scatter-kernel.ts';
import type { ColumnMeansFunction } from './simd-column-means.ts';
import { createSimdColumnMeans } from './simd-column-means.ts';
import { simdModule } from './simd-module.ts';

/**
 * Which scatter kernel computes the Gram of the centred rows:
 * - `'auto'` (default): the WebAssembly SIMD kernel where the runtime supports 128-bit SIMD and
 *   `d <= {@link SIMD_MAX_DIM}`, else the TypeScript one;
 * - `'simd'`: the WebAssembly SIMD kernel, or throw `kernel-unavailable`;
 * - `'typescript'`: the pure-TypeScript reference kernel.
 *
 * Both compute in float64 and agree to ~1e-15 relative (they only sum in a different order).
 */
export type ScatterKernel = 'auto' | 'simd' | 'typescript';

/** Same contract as {@link addCentredScatter}: adds the centred scatter of `n` rows into `target`'s upper triangle. */
export type ScatterFunction = typeof addCentredScatter;

/** Largest `d` the SIMD kernel takes (its `d x d` float64 scratch must fit 32-bit WebAssembly memory). */
export const SIMD_MAX_DIM = 8192;

/**
 * Instantiates the SIMD kernel `module` and returns a {@link ScatterFunction} using it. Rows are
 * copied into the instance's memory in chunks of ~4 MiB, summed into a zeroed `d x d` scratch there
 * (blocks of 64 rows, 3 x 3 tiles) and the upper triangle is added into `target` at the end.
 * Self-contained (no outside references) so that a worker built from its source can run it.
 */
export function createSimdScatter(module: WebAssembly.Module): ScatterFunction {
  const block = 128;
  const chunkBytes = 1 << 22;
  const page = 65536;
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    scatterRows: (...args: number[]) => void;
  };
  return (x, n, d, mean, rowScale, target) => {
    if (n === 0) return;
    const wide = x instanceof Float64Array;
    const bytes = wide ? 8 : 4;
    const chunkRows = Math.max(block, Math.floor(chunkBytes / (d * bytes) / block) * block);
    // Regions 64-byte aligned: scratch d x d, mean, row scales, packed block, rows.
    const gOff = page;
    const meanOff = gOff + Math.ceil(d * d / 8) * 64;
    const scaleOff = meanOff + Math.ceil(d / 8) * 64;
    const tOff = scaleOff + (chunkRows / 8) * 64;
    const rowsOff = tOff + Math.ceil(d / 4) * 4 * block * 8;
    const end = rowsOff + chunkRows * d * bytes;
    const missing = Math.ceil(end / page) - exports.memory.buffer.byteLength / page;
    if (missing > 0) exports.memory.grow(missing);
    const buffer = exports.memory.buffer;
    const g = new Float64Array(buffer, gOff, d * d);
    g.fill(0);
    new Float64Array(buffer, meanOff, d).set(mean);
    const rows = wide ? new Float64Array(buffer, rowsOff, chunkRows * d) : new Float32Array(buffer, rowsOff, chunkRows * d);
    const scale = new Float64Array(buffer, scaleOff, chunkRows);
    for (let r0 = 0; r0 < n; r0 += chunkRows) {
      const m = Math.min(chunkRows, n - r0);
      rows.set(x.subarray(r0 * d, (r0 + m) * d));
      if (rowScale !== null) scale.set(rowScale.subarray(r0, r0 + m));
      exports.scatterRows(wide ? 1 : 0, rowsOff, m, d, meanOff, rowScale === null ? 0 : scaleOff, tOff, block, gOff);
    }
    for (let i = 0; i < d; i++) {
      const row = i * d;
      for (let j = i; j < d; j++) target[row + j] += g[row + j];
    }
  };
}

let simdScatter: ScatterFunction | undefined;
let simdMeans: ColumnMeansFunction | undefined;

/** The chosen kernel for dimension `d`, with the compiled module when it is the SIMD one (for workers). */
export interface ResolvedScatter {
  /** The scatter function to call on this thread. */
  scatter: ScatterFunction;
  /** The column-means function (first pass) of the same kernel, on this thread. */
  means: ColumnMeansFunction;
  /** The SIMD module to instantiate in worker threads, or `null` for the TypeScript kernel. */
  module: WebAssembly.Module | null;
}

/**
 * Resolves a {@link ScatterKernel} choice for rows of dimension `d`. Throws `bad-option` for an
 * unknown name and `kernel-unavailable` when `'simd'` is asked for but the runtime lacks WebAssembly
 * SIMD or `d > SIMD_MAX_DIM`.
 */
export function resolveScatterKernel(kernel: ScatterKernel | undefined, d: number): ResolvedScatter {
  const choice = kernel ?? 'auto';
  if (choice !== 'auto' && choice !== 'simd' && choice !== 'typescript') {
    throw new CollapseMetricsError('bad-option', `kernel must be 'auto', 'simd' or 'typescript', got '${String(choice)}'`);
  }
  if (choice === 'typescript') return { scatter: addCentredScatter, means: columnMeans, module: null };
  const module = d <= SIMD_MAX_DIM ? simdModule() : null;
  if (module === null) {
    if (choice === 'simd') {
      const why = d > SIMD_MAX_DIM ? `d = ${d} exceeds ${SIMD_MAX_DIM}` : 'this runtime has no WebAssembly SIMD';
      throw new CollapseMetricsError('kernel-unavailable', `the SIMD scatter kernel is unavailable: ${why}`);
    }
    return { scatter: addCentredScatter, means: columnMeans, module: null };
  }
  simdScatter ??= createSimdScatter(module);
  simdMeans ??= createSimdColumnMeans(module);
  return { scatter: simdScatter, means: simdMeans, module };
}
