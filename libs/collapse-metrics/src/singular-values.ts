/**
 * The spectrum of representations as Li, Efros & Pathak (ECCV 2022, Sec. 3) compute it: singular
 * values of the mean-centred embedding matrix, optionally after L2-normalising each row.
 */
import type { Matrix } from './matrix.ts';
import { assertShape, inverseRowNorms } from './matrix.ts';
import { mirrorUpper } from './scatter-kernel.ts';
import type { ScatterKernel } from './simd-scatter.ts';
import { resolveScatterKernel } from './simd-scatter.ts';
import { eigenvaluesOfLowerInPlace } from './symmetric-eigenvalues.ts';

/** Options of {@link singularValues}. */
export interface SpectrumOptions {
  /**
   * L2-normalise each row before centring (as `F.normalize`, zero rows stay zero). Default `false`,
   * as in the spectra the paper's authors shipped (backbone features, not normalised).
   */
  normalize?: boolean;
  /**
   * Kernel of the scatter (Gram) accumulation: `'auto'` (default) the WebAssembly SIMD kernel where
   * the runtime has WebAssembly SIMD, `'simd'` that kernel or throw `kernel-unavailable`,
   * `'typescript'` the pure-TypeScript reference. All are float64 and agree to ~1e-15 relative.
   */
  kernel?: ScatterKernel;
}

/**
 * Singular values (descending, unsquared, length `d`) of the mean-centred `n x d` matrix `x`
 * (row-major), optionally with L2-normalised rows: the paper's spectrum `s_1 >= ... >= s_d`.
 *
 * Computed as square roots of the eigenvalues of the float64 scatter matrix `X_c^T X_c`
 * (two passes: exact float64 mean, then a blocked upper-triangle Gram of the centred rows).
 * The largest values are accurate to ~1e-12 relative; a value `s_k` carries an absolute error of
 * about `1e-16 * s_1^2 / s_k`, so values below ~`1e-7 * s_1` are at the numerical noise floor
 * (a rank-deficient matrix shows tiny positive values there, not exact zeros).
 *
 * Healthy (isotropic) representations give a flat spectrum; collapsed ones a few large values and
 * the rest ~0; identical rows give all zeros.
 * Throws {@link CollapseMetricsError}: `zero-dim`, `too-few-rows` (n < 2), `shape-mismatch`,
 * `non-finite` (naming row and column), `bad-option` (unknown `kernel`), `kernel-unavailable`.
 */
export function singularValues(x: Matrix, n: number, d: number, options: SpectrumOptions = {}): Float64Array {
  assertShape(x, n, d, 2);
  const { scatter: addScatter, means } = resolveScatterKernel(options.kernel, d);
  const scale = options.normalize === true ? inverseRowNorms(x, n, d) : null;
  const mean = means(x, n, d, scale);
  const scatter = new Float64Array(d * d);
  addScatter(x, n, d, mean, scale, scatter);
  return singularValuesOfScatter(scatter, d, options.kernel);
}

/**
 * Singular values (descending) of a centred matrix from its scatter matrix `X_c^T X_c` whose upper
 * triangle is in `scatter` (`d x d`): `sqrt(max(lambda, 0))`. Destroys `scatter`. `kernel` as in
 * {@link SpectrumOptions} (the tridiagonalisation's).
 */
export function singularValuesOfScatter(scatter: Float64Array, d: number, kernel?: ScatterKernel): Float64Array {
  mirrorUpper(scatter, d);
  const lambda = eigenvaluesOfLowerInPlace(scatter, d, kernel);
  for (let k = 0; k < d; k++) lambda[k] = Math.sqrt(Math.max(lambda[k], 0));
  return lambda;
}
