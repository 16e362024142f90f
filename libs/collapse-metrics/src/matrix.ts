/**
 * The matrix type of the library and the checks every entry point runs on it.
 */
import { CollapseMetricsError, describeNonFinite } from './collapse-metrics-error.ts';

/** A row-major `n x d` matrix of embeddings: row `r` is `x[r * d .. r * d + d)`. */
export type Matrix = Float32Array | Float64Array;

/**
 * Checks `d` (a positive integer), `n` (an integer, at least `minRows`) and `x.length === n * d`.
 * Throws {@link CollapseMetricsError} with code `zero-dim`, `bad-count`, `too-few-rows` or `shape-mismatch`.
 */
export function assertShape(x: ArrayLike<number>, n: number, d: number, minRows: number): void {
  if (!Number.isInteger(d) || d <= 0) {
    throw new CollapseMetricsError('zero-dim', `dimension d must be a positive integer, got ${d}`);
  }
  if (!Number.isInteger(n) || n < 0) {
    throw new CollapseMetricsError('bad-count', `row count n must be a non-negative integer, got ${n}`);
  }
  if (n < minRows) {
    throw new CollapseMetricsError('too-few-rows', `need at least ${minRows} rows, got n = ${n}`);
  }
  if (x.length !== n * d) {
    throw new CollapseMetricsError(
      'shape-mismatch',
      `data length ${x.length} is not n * d = ${n} * ${d} = ${n * d}`,
    );
  }
}

/**
 * Throws `non-finite` naming the first NaN/Infinity of rows `[0, n)`; `rowOffset` is added to the
 * row number in the message (for chunks of a larger stream).
 */
export function assertFinite(x: Matrix, n: number, d: number, rowOffset = 0): void {
  for (let r = 0; r < n; r++) {
    const off = r * d;
    let probe = 0;
    for (let c = 0; c < d; c++) probe += x[off + c] * 0;
    if (probe !== 0) throwNonFinite(x, r, d, rowOffset);
  }
}

/** Locates the first non-finite value of row `r` and throws `non-finite` naming it. */
export function throwNonFinite(x: ArrayLike<number>, r: number, d: number, rowOffset = 0): never {
  const off = r * d;
  for (let c = 0; c < d; c++) {
    const v = x[off + c];
    if (!Number.isFinite(v)) {
      throw new CollapseMetricsError(
        'non-finite',
        `row ${r + rowOffset}, column ${c} is ${describeNonFinite(v)}`,
      );
    }
  }
  throw new CollapseMetricsError('non-finite', `row ${r + rowOffset} holds a non-finite value`);
}

/**
 * Inverse L2 norms of the rows, `1 / max(||x_r||, 1e-12)` as `torch.nn.functional.normalize` does,
 * so an all-zero row stays zero. Checks finiteness on the way.
 */
export function inverseRowNorms(x: Matrix, n: number, d: number, rowOffset = 0): Float64Array {
  const inv = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    let ss = 0;
    for (let c = 0; c < d; c++) {
      const v = x[off + c];
      ss += v * v;
    }
    if (!Number.isFinite(ss)) {
      // An overflow of ss alone (|v| > 1e154) is not a non-finite input: rescale before squaring.
      let maxAbs = 0;
      for (let c = 0; c < d; c++) maxAbs = Math.max(maxAbs, Math.abs(x[off + c]));
      if (!Number.isFinite(maxAbs)) throwNonFinite(x, r, d, rowOffset);
      let scaled = 0;
      for (let c = 0; c < d; c++) {
        const v = x[off + c] / maxAbs;
        scaled += v * v;
      }
      inv[r] = 1 / (maxAbs * Math.sqrt(scaled));
      continue;
    }
    inv[r] = 1 / Math.max(Math.sqrt(ss), 1e-12);
  }
  return inv;
}
