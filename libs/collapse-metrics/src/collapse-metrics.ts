/**
 * One call from an embedding matrix to every collapse metric: the paper's spectrum (Li, Efros &
 * Pathak, ECCV 2022), the metrics derived from it, and SimSiam's normalised-output std.
 */
import type { Matrix } from './matrix.ts';
import { normalizedOutputStd } from './normalized-output-std.ts';
import type { SpectrumOptions } from './singular-values.ts';
import { singularValues } from './singular-values.ts';
import type { SpectrumMetrics } from './spectrum-metrics.ts';
import { spectrumMetrics } from './spectrum-metrics.ts';

/**
 * Everything {@link collapseMetrics} measures on an `n x d` matrix: the spectrum metrics, the row
 * count, SimSiam's normalised-output std (~`1/sqrt(d)` healthy, 0 collapsed) and the spectrum itself
 * (descending singular values, length `d`).
 */
export interface CollapseReport extends SpectrumMetrics {
  /** Number of rows `n`. */
  n: number;
  /** Mean per-dimension std of the L2-normalised rows: ~`1/sqrt(d)` healthy, 0 collapsed. */
  normalizedStd: number;
  /** Singular values of the centred (optionally normalised) matrix, descending. */
  singularValues: Float64Array;
}

/**
 * Computes the spectrum of the row-major `n x d` matrix `x` (optionally with L2-normalised rows,
 * default off) and every collapse metric of it. Healthy: `auc` ~0.5, `rankme` and `stableRank` ~d,
 * `normalizedStd` ~`1/sqrt(d)`; collapsed: `auc` -> 1, ranks -> 1, `normalizedStd` -> 0.
 * Throws {@link CollapseMetricsError} on bad input (NaN/Infinity, n < 2, d = 0, wrong length).
 */
export function collapseMetrics(x: Matrix, n: number, d: number, options: SpectrumOptions = {}): CollapseReport {
  const s = singularValues(x, n, d, options);
  return {
    ...spectrumMetrics(s),
    n,
    normalizedStd: normalizedOutputStd(x, n, d),
    singularValues: s,
  };
}
