/**
 * Full symmetric centred scatter matrices of test data (for eigensolver tests; not exported).
 */
import { addCentredScatter, columnMeans, mirrorUpper } from '../scatter-kernel.ts';

/** The `d x d` centred scatter `X_c^T X_c` of the row-major `n x d` matrix `x`, both triangles filled. */
export function scatterMatrix(x: Float64Array, n: number, d: number): { s: Float64Array; d: number } {
  const s = new Float64Array(d * d);
  addCentredScatter(x, n, d, columnMeans(x, n, d, null), null, s);
  mirrorUpper(s, d);
  return { s, d };
}
