import type { OutputSummary } from './forecast-features.ts';

/**
 * The spectrum metrics of one output (backbone or projector) at a check, computed
 * from the `n x d` rows sampled since the previous check (reservoir) or from the
 * decayed moments (`n` is then the effective row weight). Healthy: `auc` ~0.5-0.8,
 * `rankme` a large share of `dim`, `normalizedStd` ~1; collapsed: `auc` -> 1,
 * `rankme` -> 1, `normalizedStd` -> 0 (Li, Efros & Pathak, ECCV 2022).
 */
export interface OutputMetrics extends OutputSummary {
  n: number;
  dim: number;
  auc: number;
  rankme: number;
  stableRank: number;
  alpha: number;
  alphaR2: number;
  components90: number;
  components99: number;
  /** Std over rows of the L2-normalised output, averaged over dimensions, times sqrt(d): ~1 healthy, 0 collapsed. */
  normalizedStd: number;
}

/** A batch of embeddings: row-major `n x d` (e.g. one view of a training batch). */
export interface EmbeddingBatch {
  data: Float32Array | Float64Array;
  n: number;
  d: number;
}

/**
 * Per-dimension decayed first and second moments of L2-normalised rows, for the
 * normalised-output std in `moments` sampling mode (O(n d) per batch).
 */
export class NormalizedStdTracker {
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;
  private weight = 0;

  constructor(
    readonly dim: number,
    private readonly decay: number,
  ) {
    this.s1 = new Float64Array(dim);
    this.s2 = new Float64Array(dim);
  }

  /** Adds the `n` rows of `data` (rows of norm 0 are skipped), after decaying the old sums. */
  add(data: Float32Array | Float64Array, n: number): void {
    const d = this.dim;
    if (n === 0) return;
    if (this.decay !== 1) {
      this.weight *= this.decay;
      for (let j = 0; j < d; j++) {
        this.s1[j] *= this.decay;
        this.s2[j] *= this.decay;
      }
    }
    for (let r = 0; r < n; r++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += data[r * d + j] * data[r * d + j];
      if (norm <= 0) continue;
      const inv = 1 / Math.sqrt(norm);
      for (let j = 0; j < d; j++) {
        const v = data[r * d + j] * inv;
        this.s1[j] += v;
        this.s2[j] += v * v;
      }
      this.weight += 1;
    }
  }

  /** Mean over dimensions of the per-dimension std of the normalised rows, times sqrt(d). */
  value(): number {
    if (this.weight <= 0) return Number.NaN;
    let sum = 0;
    for (let j = 0; j < this.dim; j++) {
      const m = this.s1[j] / this.weight;
      sum += Math.sqrt(Math.max(this.s2[j] / this.weight - m * m, 0));
    }
    return (sum / this.dim) * Math.sqrt(this.dim);
  }
}
