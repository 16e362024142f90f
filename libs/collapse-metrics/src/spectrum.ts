/**
 * Validation shared by every metric computed from a spectrum (a list of singular values).
 */
import { CollapseMetricsError, describeNonFinite } from './collapse-metrics-error.ts';

/**
 * Returns a descending float64 copy of the spectrum `s` (singular values, any order).
 * Throws {@link CollapseMetricsError}: `empty-spectrum` for length 0, `non-finite` or
 * `negative-value` naming the index and the value.
 */
export function descendingSpectrum(s: ArrayLike<number>): Float64Array {
  if (s.length === 0) {
    throw new CollapseMetricsError('empty-spectrum', 'spectrum is empty (length 0)');
  }
  const out = new Float64Array(s.length);
  let sorted = true;
  for (let k = 0; k < s.length; k++) {
    const v = s[k];
    if (!Number.isFinite(v)) {
      throw new CollapseMetricsError('non-finite', `singular value ${k} is ${describeNonFinite(v)}`);
    }
    if (v < 0) {
      throw new CollapseMetricsError('negative-value', `singular value ${k} is negative: ${v}`);
    }
    out[k] = v;
    if (k > 0 && v > out[k - 1]) sorted = false;
  }
  if (!sorted) {
    out.sort();
    out.reverse();
  }
  return out;
}

/** Sum of the entries of a float64 array (pairwise summation, so long spectra lose no precision). */
export function pairwiseSum(a: Float64Array, from = 0, to = a.length): number {
  if (to - from <= 32) {
    let acc = 0;
    for (let k = from; k < to; k++) acc += a[k];
    return acc;
  }
  const mid = (from + to) >>> 1;
  return pairwiseSum(a, from, mid) + pairwiseSum(a, mid, to);
}
