/**
 * The hot loop of the library: column means and the centred scatter matrix
 * `S = sum_r (x_r - m)(x_r - m)^T` of a row-major `n x d` block, in float64.
 *
 * Rows are processed in blocks of {@link SCATTER_BLOCK_ROWS}: each block is centred (and optionally
 * row-scaled) while being transposed into a `d x B` float64 buffer, so that every entry of `S` is a dot
 * product of two contiguous rows of that buffer. Only 3 x 4 tiles on or above the diagonal are
 * computed, with 12 accumulators per tile (each loaded value is used 3 or 4 times).
 */
import type { Matrix } from './matrix.ts';
import { throwNonFinite } from './matrix.ts';

/** Rows per block of the scatter kernel (the transposed block is `d x 64` float64). */
export const SCATTER_BLOCK_ROWS = 64;

/**
 * Column means of rows `[0, n)` of `x` (each row multiplied by `rowScale[r]` when given), in float64,
 * computed as `x_0 + mean_r (x_r - x_0)`: identical rows give exactly their value (so their
 * spectrum is exactly zero) and a large common offset cancels before summation.
 * Throws `non-finite` naming the row and column of the first NaN/Infinity (`rowOffset` is added to
 * the row number).
 */
export function columnMeans(
  x: Matrix,
  n: number,
  d: number,
  rowScale: Float64Array | null,
  rowOffset = 0,
): Float64Array {
  const shift = new Float64Array(d);
  const sum = new Float64Array(d);
  if (n === 0) return sum;
  const w0 = rowScale === null ? 1 : rowScale[0];
  for (let c = 0; c < d; c++) shift[c] = x[c] * w0;
  for (let r = 0; r < n; r++) {
    const off = r * d;
    const w = rowScale === null ? 1 : rowScale[r];
    let probe = 0;
    for (let c = 0; c < d; c++) {
      const v = x[off + c];
      probe += v * 0;
      sum[c] += v * w - shift[c];
    }
    if (probe !== 0) throwNonFinite(x, r, d, rowOffset);
  }
  for (let c = 0; c < d; c++) sum[c] = shift[c] + sum[c] / n;
  return sum;
}

/**
 * Adds the centred scatter `sum_r (w_r x_r - mean)(w_r x_r - mean)^T` of rows `[0, n)` into
 * `target` (`d x d`, row-major). Only entries `(i, j)` with `j >= i` are guaranteed to be updated;
 * a few entries just below the diagonal are updated too (with their correct values). Use
 * {@link mirrorUpper} to obtain the full symmetric matrix. Inputs are assumed finite.
 */
export function addCentredScatter(
  x: Matrix,
  n: number,
  d: number,
  mean: Float64Array,
  rowScale: Float64Array | null,
  target: Float64Array,
): void {
  const B = SCATTER_BLOCK_ROWS;
  // Rows up to a multiple of 4 (column tiles) and 3 more (row tiles reading past d) stay zero.
  const dPad = ((d + 3) & ~3) + 3;
  const t = new Float64Array(dPad * B);
  const tile = new Float64Array(12);
  for (let r0 = 0; r0 < n; r0 += B) {
    const nb = Math.min(B, n - r0);
    for (let k = 0; k < nb; k++) {
      const off = (r0 + k) * d;
      const w = rowScale === null ? 1 : rowScale[r0 + k];
      for (let i = 0; i < d; i++) t[i * B + k] = x[off + i] * w - mean[i];
    }
    scatterBlock(t, B, nb, d, dPad, target, tile);
  }
}

/**
 * Adds `T T^T` (upper 3 x 4 tiles) of the transposed block `t` (`dPad x B`, `nb` used columns, rows
 * `d..dPad` zero) into `g` (`d x d`); `tile` is 12 scratch doubles. 12 accumulators plus 7 loaded
 * values fit the 16 float registers V8 uses on x64 (4 x 4 tiles spill; they measured ~5% slower).
 * Self-contained (no outside references) so that it can run in a worker built from its source.
 */
export function scatterBlock(
  t: Float64Array,
  B: number,
  nb: number,
  d: number,
  dPad: number,
  g: Float64Array,
  tile: Float64Array,
): void {
  for (let i = 0; i < d; i += 3) {
    const i0 = i * B;
    const i1 = i0 + B;
    const i2 = i1 + B;
    for (let j = i - (i % 4); j < dPad - 3; j += 4) {
      const j0 = j * B;
      const j1 = j0 + B;
      const j2 = j1 + B;
      const j3 = j2 + B;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
      for (let k = 0; k < nb; k++) {
        const a0 = t[i0 + k], a1 = t[i1 + k], a2 = t[i2 + k];
        const b0 = t[j0 + k], b1 = t[j1 + k], b2 = t[j2 + k], b3 = t[j3 + k];
        s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
        s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
        s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
      }
      if (i + 2 < d && j + 3 < d) {
        let o = i * d + j;
        g[o] += s00; g[o + 1] += s01; g[o + 2] += s02; g[o + 3] += s03;
        o += d;
        g[o] += s10; g[o + 1] += s11; g[o + 2] += s12; g[o + 3] += s13;
        o += d;
        g[o] += s20; g[o + 1] += s21; g[o + 2] += s22; g[o + 3] += s23;
      } else {
        tile[0] = s00; tile[1] = s01; tile[2] = s02; tile[3] = s03;
        tile[4] = s10; tile[5] = s11; tile[6] = s12; tile[7] = s13;
        tile[8] = s20; tile[9] = s21; tile[10] = s22; tile[11] = s23;
        for (let a = 0; a < 3 && i + a < d; a++) {
          for (let b = 0; b < 4 && j + b < d; b++) g[(i + a) * d + j + b] += tile[a * 4 + b];
        }
      }
    }
  }
}

/** Copies the upper triangle of the row-major `d x d` matrix `a` onto its lower triangle, in place. */
export function mirrorUpper(a: Float64Array, d: number): void {
  for (let i = 1; i < d; i++) {
    const row = i * d;
    for (let j = 0; j < i; j++) a[row + j] = a[j * d + i];
  }
}
