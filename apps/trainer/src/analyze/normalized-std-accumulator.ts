/**
 * Streaming version of SimSiam's collapse indicator (Chen & He, CVPR 2021,
 * Sec. 4.1): the per-dimension std of the L2-normalised rows, averaged over
 * dimensions, accumulated chunk by chunk in O(d) memory and O(n d) time
 * (per-column Welford/Chan updates; no d x d scatter needed).
 */
import type { Matrix } from '@siamwatch/collapse-metrics';

/** Streaming accumulator of the normalised-output std of `d`-dimensional rows. */
export interface NormalizedStdAccumulator {
  /** Rows added so far. */
  readonly count: number;
  /** Adds the `n` rows of the row-major `n x d` chunk `rows`. */
  add(rows: Matrix, n: number): void;
  /**
   * Mean over dimensions of the unbiased (`n - 1`) std of `z / max(||z||, 1e-12)`,
   * equal to `normalizedOutputStd` of collapse-metrics on all rows at once.
   * Healthy ~`1/sqrt(d)`, collapsed to one direction 0. NaN with fewer than 2 rows.
   */
  value(): number;
}

/** Creates an empty {@link NormalizedStdAccumulator} for rows of dimension `d`. */
export function createNormalizedStdAccumulator(d: number): NormalizedStdAccumulator {
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const chunkMean = new Float64Array(d);
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(rows: Matrix, n: number): void {
      if (n === 0) return;
      const inv = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        let sq = 0;
        for (let c = 0; c < d; c++) {
          const v = rows[r * d + c] ?? 0;
          sq += v * v;
        }
        inv[r] = 1 / Math.max(Math.sqrt(sq), 1e-12);
      }
      chunkMean.fill(0);
      for (let r = 0; r < n; r++) {
        const w = inv[r] ?? 0;
        for (let c = 0; c < d; c++) chunkMean[c] = (chunkMean[c] ?? 0) + (rows[r * d + c] ?? 0) * w;
      }
      for (let c = 0; c < d; c++) chunkMean[c] = (chunkMean[c] ?? 0) / n;
      const total = count + n;
      for (let c = 0; c < d; c++) {
        let ss = 0;
        const mu = chunkMean[c] ?? 0;
        for (let r = 0; r < n; r++) {
          const dev = (rows[r * d + c] ?? 0) * (inv[r] ?? 0) - mu;
          ss += dev * dev;
        }
        const delta = mu - (mean[c] ?? 0);
        m2[c] = (m2[c] ?? 0) + ss + (delta * delta * count * n) / total;
        mean[c] = (mean[c] ?? 0) + (delta * n) / total;
      }
      count = total;
    },
    value(): number {
      if (count < 2) return NaN;
      let sum = 0;
      for (let c = 0; c < d; c++) sum += Math.sqrt((m2[c] ?? 0) / (count - 1));
      return sum / d;
    },
  };
}
