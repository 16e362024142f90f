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
   * Adds `n` rows known only by the column sums `sum` and sums of squares `sumSquares` of their L2-normalised
   * values (a sketch sent instead of rows); the same result as adding the rows.
   */
  addMoments(n: number, sum: ArrayLike<number>, sumSquares: ArrayLike<number>): void;
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
  /** Chan et al.'s parallel update with a chunk of `n` rows, column means `mu`, centred sums of squares `ss`. */
  const mergeChunk = (n: number, mu: Float64Array, ss: Float64Array): void => {
    const total = count + n;
    for (let c = 0; c < d; c++) {
      const delta = (mu[c] ?? 0) - (mean[c] ?? 0);
      m2[c] = (m2[c] ?? 0) + (ss[c] ?? 0) + (delta * delta * count * n) / total;
      mean[c] = (mean[c] ?? 0) + (delta * n) / total;
    }
    count = total;
  };
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
      const ss = new Float64Array(d);
      for (let c = 0; c < d; c++) {
        const mu = chunkMean[c] ?? 0;
        for (let r = 0; r < n; r++) {
          const dev = (rows[r * d + c] ?? 0) * (inv[r] ?? 0) - mu;
          ss[c] = (ss[c] ?? 0) + dev * dev;
        }
      }
      mergeChunk(n, chunkMean, ss);
    },
    addMoments(n: number, sum: ArrayLike<number>, sumSquares: ArrayLike<number>): void {
      if (n === 0) return;
      const ss = new Float64Array(d);
      for (let c = 0; c < d; c++) {
        const mu = (sum[c] ?? 0) / n;
        chunkMean[c] = mu;
        ss[c] = Math.max(0, (sumSquares[c] ?? 0) - n * mu * mu);
      }
      mergeChunk(n, chunkMean, ss);
    },
    value(): number {
      if (count < 2) return NaN;
      let sum = 0;
      for (let c = 0; c < d; c++) sum += Math.sqrt((m2[c] ?? 0) / (count - 1));
      return sum / d;
    },
  };
}
