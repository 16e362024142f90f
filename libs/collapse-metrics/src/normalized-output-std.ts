/**
 * SimSiam's collapse indicator: the standard deviation of the L2-normalised output (Chen & He,
 * CVPR 2021, "Exploring Simple Siamese Representation Learning", Sec. 4.1 and Fig. 2). Without
 * stop-gradient the outputs collapse to a constant vector and the std drops to 0; with it the std
 * stays near `1/sqrt(d)`, the value for rows spread uniformly over the unit sphere. It detects
 * complete collapse only: partial (dimensional) collapse leaves it near `1/sqrt(d)`, which is why
 * the spectrum metrics exist.
 */
import type { Matrix } from './matrix.ts';
import { assertFinite, assertShape, inverseRowNorms } from './matrix.ts';

/**
 * Per-dimension standard deviation (unbiased, `n - 1`, as `torch.std`) of the L2-normalised rows
 * `z / max(||z||, 1e-12)` of the `n x d` matrix `x`, averaged over the `d` dimensions.
 * Healthy: ~`1 / sqrt(d)` (rows spread over the sphere, e.g. an isotropic Gaussian gives
 * `sqrt(1/d)` up to sampling noise); collapsed to a single direction (identical rows): 0.
 * Throws {@link CollapseMetricsError}: `zero-dim`, `too-few-rows` (n < 2), `shape-mismatch`,
 * `non-finite` (naming row and column).
 */
export function normalizedOutputStd(x: Matrix, n: number, d: number): number {
  assertShape(x, n, d, 2);
  assertFinite(x, n, d);
  const inv = inverseRowNorms(x, n, d);
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    const w = inv[r];
    for (let c = 0; c < d; c++) mean[c] += x[off + c] * w;
  }
  for (let c = 0; c < d; c++) mean[c] /= n;
  const ss = new Float64Array(d);
  for (let r = 0; r < n; r++) {
    const off = r * d;
    const w = inv[r];
    for (let c = 0; c < d; c++) {
      const dev = x[off + c] * w - mean[c];
      ss[c] += dev * dev;
    }
  }
  let total = 0;
  for (let c = 0; c < d; c++) total += Math.sqrt(ss[c] / (n - 1));
  return total / d;
}
