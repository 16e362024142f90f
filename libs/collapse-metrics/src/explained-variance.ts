/**
 * The paper's collapse measure: the cumulative explained variance of the singular values and the
 * area under it (Li, Efros & Pathak, ECCV 2022, Eq. 2).
 */
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import { descendingSpectrum, pairwiseSum } from './spectrum.ts';

/**
 * Cumulative explained variance `c_k = sum_{i<=k} s_i / sum_i s_i`, k = 1..d, of the singular values
 * `s` sorted descending (Eq. 2 of the paper: on singular values, not their squares). Length `d`,
 * non-decreasing, `c_d = 1`. Healthy (flat spectrum): `c_k = k / d`; collapsed to rank one: `c_k = 1`
 * for every k. An all-zero spectrum (identical rows) is treated as fully collapsed: every `c_k = 1`.
 */
export function cumulativeExplainedVariance(s: ArrayLike<number>): Float64Array {
  const v = descendingSpectrum(s);
  const d = v.length;
  const total = pairwiseSum(v);
  const c = new Float64Array(d);
  if (total === 0) return c.fill(1);
  let acc = 0;
  for (let k = 0; k < d; k++) {
    acc += v[k];
    c[k] = Math.min(acc / total, 1);
  }
  c[d - 1] = 1;
  return c;
}

/**
 * AUC of the cumulative explained variance, `mean_k c_k` (Eq. 2 of Li, Efros & Pathak 2022).
 * From `(d + 1) / (2 d)` (~0.5) for a perfectly flat spectrum (no collapse) up to `1` for rank one
 * or identical rows (complete collapse); partial collapse lies between. The authors' SimSiam
 * ResNet-18 backbones measure 0.61 (pre-trained on 1% of ImageNet) to 0.86-0.88 (20-100%).
 */
export function spectrumAuc(s: ArrayLike<number>): number {
  const c = cumulativeExplainedVariance(s);
  return pairwiseSum(c) / c.length;
}

/**
 * Number of leading components needed for the cumulative explained variance `c_k` to reach
 * `fraction` (in (0, 1]): the smallest k with `c_k >= fraction` (1e-12 slack for rounding).
 * Healthy: close to `fraction * d` (`components90` ~ 0.9 d for a flat spectrum); collapsed to rank
 * `r`: at most `r`; identical rows (all-zero spectrum): 0.
 * Throws `bad-option` when `fraction` is outside (0, 1].
 */
export function componentsForVariance(s: ArrayLike<number>, fraction: number): number {
  if (!(fraction > 0 && fraction <= 1)) {
    throw new CollapseMetricsError('bad-option', `fraction must be in (0, 1], got ${fraction}`);
  }
  const v = descendingSpectrum(s);
  const total = pairwiseSum(v);
  if (total === 0) return 0;
  const target = fraction * total * (1 - 1e-12);
  let acc = 0;
  for (let k = 0; k < v.length; k++) {
    acc += v[k];
    if (acc >= target) return k + 1;
  }
  return v.length;
}
