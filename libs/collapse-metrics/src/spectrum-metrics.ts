/**
 * All spectrum metrics of one spectrum in one record, the unit the monitor and telemetry consume.
 */
import { alphaReq } from './alpha-req.ts';
import { rankMe, stableRank } from './effective-rank.ts';
import { componentsForVariance, spectrumAuc } from './explained-variance.ts';
import { descendingSpectrum } from './spectrum.ts';

/**
 * Collapse metrics of a spectrum of `dim` singular values. Healthy vs collapsed (rank one):
 * `auc` ~0.5 vs 1; `rankme` ~dim vs ~1; `stableRank` ~dim vs 1;
 * `components90` / `components99` ~0.9 dim / ~0.99 dim vs 1; `alpha` ~0 (R^2 ~1) healthy, growing with
 * gradual decay, with a low R^2 on a hard rank cliff.
 */
export interface SpectrumMetrics {
  /** Number of singular values `d`. */
  dim: number;
  /** AUC of the cumulative explained variance (Li et al. 2022, Eq. 2): ~0.5 flat, 1 rank one. */
  auc: number;
  /** RankMe effective rank (Garrido et al. 2023): ~d healthy, ~1 rank one, 0 identical rows. */
  rankme: number;
  /** Stable rank `sum s^2 / max s^2`: ~d healthy, 1 rank one, 0 identical rows. */
  stableRank: number;
  /** Power-law decay exponent of `s_k ~ k^-alpha` (after alpha-ReQ, on singular values): ~0 flat. */
  alpha: number;
  /** R^2 of the alpha fit. */
  alphaR2: number;
  /** Components needed to explain 90% (of `sum s`): ~0.9 d healthy, 1 rank one. */
  components90: number;
  /** Components needed to explain 99% (of `sum s`): ~0.99 d healthy, 1 rank one. */
  components99: number;
}

/**
 * Computes every {@link SpectrumMetrics} field from the singular values `s` (any order; validated:
 * non-empty, finite, non-negative, else {@link CollapseMetricsError}).
 */
export function spectrumMetrics(s: ArrayLike<number>): SpectrumMetrics {
  const v = descendingSpectrum(s);
  const fit = alphaReq(v);
  return {
    dim: v.length,
    auc: spectrumAuc(v),
    rankme: rankMe(v),
    stableRank: stableRank(v),
    alpha: fit.alpha,
    alphaR2: fit.r2,
    components90: componentsForVariance(v, 0.9),
    components99: componentsForVariance(v, 0.99),
  };
}
