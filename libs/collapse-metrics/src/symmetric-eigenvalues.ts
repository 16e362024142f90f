/**
 * Eigenvalues of a real symmetric matrix: Householder reduction to tridiagonal form followed by the
 * implicit QL iteration with Wilkinson shifts (Golub & Van Loan, "Matrix Computations", 8.3; the
 * EISPACK tred1/tql1 pair). Backward stable: the eigenvalues carry an absolute error of a few
 * `eps * ||A||`, i.e. ~1e-14 relative on the largest ones.
 *
 * The reduction works on the lower triangle row by row (the symmetric matrix-vector product reads
 * each lower row once and scatters into both halves), so its inner loops run over contiguous
 * `Float64Array` memory.
 */
import { CollapseMetricsError, describeNonFinite } from './collapse-metrics-error.ts';
import type { ScatterKernel } from './simd-scatter.ts';
import { resolveScatterKernel } from './simd-scatter.ts';
import { simdTridiagonalizeFor } from './simd-tridiagonal.ts';

/** Options of {@link symmetricEigenvalues}. */
export interface EigenvalueOptions {
  /**
   * `'auto'` (default): the WebAssembly SIMD tridiagonalisation where available; `'simd'`: that or
   * throw `kernel-unavailable`; `'typescript'`: the pure-TypeScript reference.
   */
  kernel?: ScatterKernel;
}

/**
 * Eigenvalues of the symmetric `d x d` row-major matrix `a`, in descending order; `a` is not modified.
 * Throws {@link CollapseMetricsError}: `zero-dim`, `shape-mismatch` (length is not `d * d`),
 * `non-finite` (naming the entry) or `not-symmetric` (naming the first asymmetric pair, tolerance
 * `1e-12 * max|a|`), `bad-option` / `kernel-unavailable` for the `kernel` option.
 */
export function symmetricEigenvalues(a: Float64Array, d: number, options: EigenvalueOptions = {}): Float64Array {
  if (!Number.isInteger(d) || d <= 0) {
    throw new CollapseMetricsError('zero-dim', `dimension d must be a positive integer, got ${d}`);
  }
  if (a.length !== d * d) {
    throw new CollapseMetricsError('shape-mismatch', `matrix length ${a.length} is not d * d = ${d * d}`);
  }
  let maxAbs = 0;
  for (let k = 0; k < a.length; k++) {
    const v = a[k];
    if (!Number.isFinite(v)) {
      throw new CollapseMetricsError(
        'non-finite',
        `row ${Math.floor(k / d)}, column ${k % d} is ${describeNonFinite(v)}`,
      );
    }
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  resolveScatterKernel(options.kernel, d);
  const tol = 1e-12 * maxAbs;
  for (let i = 1; i < d; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(a[i * d + j] - a[j * d + i]) > tol) {
        throw new CollapseMetricsError(
          'not-symmetric',
          `matrix is not symmetric: a[${i}][${j}] = ${a[i * d + j]} but a[${j}][${i}] = ${a[j * d + i]}`,
        );
      }
    }
  }
  return eigenvaluesOfLowerInPlace(Float64Array.from(a), d, options.kernel);
}

/**
 * Eigenvalues (descending) of the symmetric matrix whose lower triangle is stored in `work`
 * (`d x d`, row-major). Destroys `work`. No validation: for internal callers with trusted input.
 * The tridiagonalisation runs in WebAssembly SIMD unless `kernel` is `'typescript'` (or it is unavailable).
 */
export function eigenvaluesOfLowerInPlace(work: Float64Array, d: number, kernel?: ScatterKernel): Float64Array {
  const diag = new Float64Array(d);
  const off = new Float64Array(d);
  (simdTridiagonalizeFor(kernel, d) ?? tridiagonalize)(work, d, diag, off);
  tridiagonalQl(diag, off);
  diag.sort();
  diag.reverse();
  return diag;
}

/**
 * Householder reduction of the lower triangle of `a` to a tridiagonal matrix with diagonal `diag`
 * and sub-diagonal `off[1..d)` (`off[i]` couples `i - 1` and `i`).
 *
 * Step `i` reflects row `i` onto its sub-diagonal with `u` (kept in row `i`), needs `p = A u / h`
 * over the leading `i x i` block and then updates that block by `A -= u q^T + q u^T`. The update of
 * step `i` is deferred and fused with the matrix-vector product of step `i - 1`: each lower row is
 * updated and immediately multiplied, so every step streams the matrix through the cache once.
 */
function tridiagonalize(a: Float64Array, d: number, diag: Float64Array, off: Float64Array): void {
  let p = new Float64Array(d);
  let q = new Float64Array(d);
  // Pending update A -= u q^T + q u^T with u = row `pendingRow` (entries 0..pendingRow-1), q = `q`.
  let pendingRow = -1;
  for (let i = d - 1; i > 0; i--) {
    const l = i - 1;
    const ri = i * d;
    if (pendingRow >= 0) applyUpdateToRow(a, d, i, pendingRow * d, q);
    let scale = 0;
    for (let k = 0; k <= l; k++) scale += Math.abs(a[ri + k]);
    if (l === 0 || scale === 0) {
      off[i] = a[ri + l];
      if (pendingRow >= 0) for (let j = 0; j <= l; j++) applyUpdateToRow(a, d, j, pendingRow * d, q);
      pendingRow = -1;
      continue;
    }
    let h = 0;
    for (let k = 0; k <= l; k++) {
      const v = a[ri + k] / scale;
      a[ri + k] = v;
      h += v * v;
    }
    const f = a[ri + l];
    const g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
    off[i] = scale * g;
    h -= f * g;
    a[ri + l] = f - g;
    p.fill(0, 0, l + 1);
    if (pendingRow >= 0) fusedUpdateAndProduct(a, d, l, ri, pendingRow * d, q, p);
    else lowerProduct(a, d, l, ri, p);
    let fsum = 0;
    for (let j = 0; j <= l; j++) {
      p[j] /= h;
      fsum += p[j] * a[ri + j];
    }
    const hh = fsum / (h + h);
    for (let j = 0; j <= l; j++) p[j] -= hh * a[ri + j];
    const swap = q;
    q = p;
    p = swap;
    pendingRow = i;
  }
  if (pendingRow >= 0) applyUpdateToRow(a, d, 0, pendingRow * d, q);
  for (let i = 0; i < d; i++) diag[i] = a[i * d + i];
}

/** Row `j` (entries 0..j) of `a` -= `u_j q + q_j u`, with `u` the row starting at `ru`. */
function applyUpdateToRow(a: Float64Array, d: number, j: number, ru: number, q: Float64Array): void {
  const rj = j * d;
  const uj = a[ru + j];
  const qj = q[j];
  for (let k = 0; k <= j; k++) a[rj + k] -= uj * q[k] + qj * a[ru + k];
}

/** `p += A[0..l][0..l] u` (u = row at `ri`), reading each lower row once. */
function lowerProduct(a: Float64Array, d: number, l: number, ri: number, p: Float64Array): void {
  for (let j = 0; j <= l; j++) {
    const rj = j * d;
    const uj = a[ri + j];
    let acc = 0;
    for (let k = 0; k < j; k++) {
      const v = a[rj + k];
      acc += v * a[ri + k];
      p[k] += v * uj;
    }
    p[j] += acc + a[rj + j] * uj;
  }
}

/**
 * For each row j <= l: applies the pending update (`u'` = row at `ru`, `q`) to row j, then adds its
 * contributions to `p += A u` (u = row at `ri`).
 */
function fusedUpdateAndProduct(
  a: Float64Array,
  d: number,
  l: number,
  ri: number,
  ru: number,
  q: Float64Array,
  p: Float64Array,
): void {
  for (let j = 0; j <= l; j++) {
    const rj = j * d;
    const uj = a[ri + j];
    const upj = a[ru + j];
    const qj = q[j];
    let acc = 0;
    for (let k = 0; k < j; k++) {
      const v = a[rj + k] - (upj * q[k] + qj * a[ru + k]);
      a[rj + k] = v;
      acc += v * a[ri + k];
      p[k] += v * uj;
    }
    const v = a[rj + j] - (upj * q[j] + qj * a[ru + j]);
    a[rj + j] = v;
    p[j] += acc + v * uj;
  }
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal matrix (`diag`, `off[1..d)`);
 * leaves the eigenvalues, unsorted, in `diag`.
 */
function tridiagonalQl(diag: Float64Array, off: Float64Array): void {
  const n = diag.length;
  for (let i = 1; i < n; i++) off[i - 1] = off[i];
  off[n - 1] = 0;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    let m: number;
    do {
      for (m = l; m < n - 1; m++) {
        const dd = Math.abs(diag[m]) + Math.abs(diag[m + 1]);
        if (Math.abs(off[m]) <= Number.EPSILON * dd) break;
      }
      if (m !== l) {
        if (iter++ === 60) {
          throw new CollapseMetricsError('no-convergence', `QL iteration did not converge at eigenvalue ${l}`);
        }
        let g = (diag[l + 1] - diag[l]) / (2 * off[l]);
        let r = Math.hypot(g, 1);
        g = diag[m] - diag[l] + off[l] / (g + (g >= 0 ? Math.abs(r) : -Math.abs(r)));
        let s = 1;
        let c = 1;
        let p = 0;
        let i: number;
        for (i = m - 1; i >= l; i--) {
          const f = s * off[i];
          const b = c * off[i];
          // sqrt(f^2 + g^2) is ~10x faster than Math.hypot in V8; hypot only where squares over/underflow.
          r = Math.sqrt(f * f + g * g);
          if (!(r < 1e150 && r > 1e-150)) r = Math.hypot(f, g);
          off[i + 1] = r;
          if (r === 0) {
            diag[i + 1] -= p;
            off[m] = 0;
            break;
          }
          s = f / r;
          c = g / r;
          g = diag[i + 1] - p;
          r = (diag[i] - g) * s + 2 * c * b;
          p = s * r;
          diag[i + 1] = g + p;
          g = c * r - b;
        }
        if (r === 0 && i >= l) continue;
        diag[l] -= p;
        off[l] = g;
        off[m] = 0;
      }
    } while (m !== l);
  }
}
