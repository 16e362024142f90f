/**
 * {@link columnMeans} in the WebAssembly module (`columnSums` in `wasm/scatter-simd.ts`): the same
 * operations in the same order, so the means are bitwise equal to the TypeScript ones, ~4x faster.
 */
import type { Matrix } from './matrix.ts';
import { throwNonFinite } from './matrix.ts';
import type { columnMeans } from './scatter-kernel.ts';

/** Same contract as {@link columnMeans}. */
export type ColumnMeansFunction = typeof columnMeans;

/** A {@link ColumnMeansFunction} running in a fresh instance of the SIMD `module` (rows copied in ~4 MiB chunks). */
export function createSimdColumnMeans(module: WebAssembly.Module): ColumnMeansFunction {
  const page = 65536;
  const chunkBytes = 1 << 22;
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    columnSums: (kind: number, rows: number, n: number, d: number, scale: number, shift: number, sum: number) => number;
  };
  return (x: Matrix, n: number, d: number, rowScale: Float64Array | null, rowOffset = 0): Float64Array => {
    const mean = new Float64Array(d);
    if (n === 0) return mean;
    const wide = x instanceof Float64Array;
    const bytes = wide ? 8 : 4;
    const chunkRows = Math.max(1, Math.floor(chunkBytes / (d * bytes)));
    const shiftOff = page;
    const sumOff = shiftOff + Math.ceil(d / 8) * 64;
    const scaleOff = sumOff + Math.ceil(d / 8) * 64;
    const rowsOff = scaleOff + Math.ceil(chunkRows / 8) * 64;
    const missing = Math.ceil((rowsOff + chunkRows * d * bytes) / page) - exports.memory.buffer.byteLength / page;
    if (missing > 0) exports.memory.grow(missing);
    const buffer = exports.memory.buffer;
    const shift = new Float64Array(buffer, shiftOff, d);
    const w0 = rowScale === null ? 1 : rowScale[0];
    for (let c = 0; c < d; c++) shift[c] = x[c] * w0;
    const sum = new Float64Array(buffer, sumOff, d);
    sum.fill(0);
    const rows = wide ? new Float64Array(buffer, rowsOff, chunkRows * d) : new Float32Array(buffer, rowsOff, chunkRows * d);
    const scale = new Float64Array(buffer, scaleOff, chunkRows);
    for (let r0 = 0; r0 < n; r0 += chunkRows) {
      const m = Math.min(chunkRows, n - r0);
      rows.set(x.subarray(r0 * d, (r0 + m) * d));
      if (rowScale !== null) scale.set(rowScale.subarray(r0, r0 + m));
      const bad = exports.columnSums(wide ? 1 : 0, rowsOff, m, d, rowScale === null ? 0 : scaleOff, shiftOff, sumOff);
      if (bad >= 0) throwNonFinite(x, r0 + bad, d, rowOffset);
    }
    for (let c = 0; c < d; c++) mean[c] = shift[c] + sum[c] / n;
    return mean;
  };
}
