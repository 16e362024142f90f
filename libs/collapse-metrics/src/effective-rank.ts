/**
 * Effective-rank measures of a spectrum: RankMe (Garrido, Balestriero, Najman & LeCun, ICML 2023,
 * "RankMe: Assessing the downstream performance of pretrained self-supervised representations by
 * their rank") and the stable rank (Rudelson & Vershynin 2007).
 */
import { descendingSpectrum, pairwiseSum } from './spectrum.ts';

/** The epsilon RankMe adds to each normalised singular value (Garrido et al. 2023, Eq. 1). */
export const RANKME_EPSILON = 1e-7;

/**
 * RankMe effective rank: `exp(-sum_k p_k log p_k)` with `p_k = s_k / sum_i s_i + 1e-7`, from the
 * singular values `s` (length `d`). Healthy (flat spectrum): close to `d` (equal values give `d` up to the
 * epsilon's bias, `d * 1e-7 * (ln d - 1)` relative, +0.14% at d = 2048; above 0.9 d for an isotropic
 * Gaussian sample with n >> d); collapsed to
 * rank `r` with equal values: ~`r`; rank one: ~1. All-zero spectrum (identical rows): 0.
 */
export function rankMe(s: ArrayLike<number>): number {
  const v = descendingSpectrum(s);
  const total = pairwiseSum(v);
  if (total === 0) return 0;
  const terms = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    const p = v[k] / total + RANKME_EPSILON;
    terms[k] = -p * Math.log(p);
  }
  return Math.exp(pairwiseSum(terms));
}

/**
 * Stable rank `sum_k s_k^2 / max_k s_k^2` (squared Frobenius over squared spectral norm) of the
 * singular values `s`. Between 1 and `d`: healthy (flat spectrum) ~`d` (exactly `d` for equal values),
 * collapsed to rank one: 1. All-zero spectrum (identical rows): 0. Dominated by the top values, so it
 * falls early when one direction takes over.
 */
export function stableRank(s: ArrayLike<number>): number {
  const v = descendingSpectrum(s);
  const top = v[0];
  if (top === 0) return 0;
  const sq = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) {
    const r = v[k] / top;
    sq[k] = r * r;
  }
  return pairwiseSum(sq);
}
