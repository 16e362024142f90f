/**
 * Power-law decay exponent of a spectrum, after alpha-ReQ (Agrawal, Mondal, Ghosh & Richards,
 * NeurIPS 2022, "alpha-ReQ: Assessing representation quality in self-supervised learning by measuring
 * eigenspectrum decay").
 */
import { descendingSpectrum } from './spectrum.ts';

/**
 * Values below `ALPHA_REQ_FLOOR * s_1` are clamped to it before taking logs: a Gram-based spectrum
 * cannot resolve singular values below ~1e-7 of the largest, so those are numerical zeros.
 */
export const ALPHA_REQ_FLOOR = 1e-7;

/** Result of {@link alphaReq}. */
export interface AlphaReqFit {
  /** Decay exponent: `s_k ~ k^-alpha`. */
  alpha: number;
  /** Coefficient of determination of the log-log fit, in [0, 1]. */
  r2: number;
}

/**
 * Least-squares fit of `log s_k = c - alpha log k` (k = 1..d) over the singular values `s` sorted
 * descending, returning `alpha` and the fit's `R^2`. Values below `1e-7 * s_1` are clamped to that floor.
 * Note: fitted on singular values as asked; Agrawal et al. fit covariance eigenvalues `s_k^2`, whose
 * exponent is `2 * alpha`. Healthy (flat spectrum): alpha ~0 with R^2 = 1 (an isotropic Gaussian
 * sample gives a small positive value); an exact power law `s_k = k^-a` gives `alpha = a`, `r2 = 1`;
 * gradual partial collapse: alpha grows. A hard rank cliff (rank `r` with the rest ~0) is no power
 * law: R^2 is low (< 0.7) and alpha depends on `r` (0.17 for rank 1, 4.3 for rank 64 at d = 512), so
 * read alpha together with `r2`, and AUC / RankMe for hard collapse. All-zero spectrum:
 * `alpha = Infinity`, `r2 = 0`; a single value (d = 1): `alpha = 0`, `r2 = 0`.
 */
export function alphaReq(s: ArrayLike<number>): AlphaReqFit {
  const v = descendingSpectrum(s);
  const d = v.length;
  if (v[0] === 0) return { alpha: Number.POSITIVE_INFINITY, r2: 0 };
  if (d === 1) return { alpha: 0, r2: 0 };
  const floor = v[0] * ALPHA_REQ_FLOOR;
  let mx = 0;
  let my = 0;
  const ys = new Float64Array(d);
  for (let k = 0; k < d; k++) {
    ys[k] = Math.log(Math.max(v[k], floor) / v[0]);
    mx += Math.log(k + 1);
    my += ys[k];
  }
  mx /= d;
  my /= d;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let k = 0; k < d; k++) {
    const dx = Math.log(k + 1) - mx;
    const dy = ys[k] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  const slope = sxy / sxx;
  // A constant spectrum is fitted perfectly by a flat line.
  const r2 = syy <= 1e-24 * d ? 1 : Math.min(1, Math.max(0, (sxy * sxy) / (sxx * syy)));
  return { alpha: slope === 0 ? 0 : -slope, r2 };
}
