/**
 * A streaming, mergeable second-moment accumulator: the paper's spectrum over any number of rows
 * without keeping them (Li, Efros & Pathak, ECCV 2022, computed the spectrum over the whole train set).
 *
 * State: total weight `W`, mean `m` and centred scatter `S = sum_r w_r (x_r - m)(x_r - m)^T`, all
 * float64. Each `add()` centres its chunk on the chunk's own mean (two passes, no cancellation
 * from a large common offset) and merges with Chan, Golub & LeVeque's pairwise update
 * `S = S_a + S_b + delta delta^T W_a W_b / (W_a + W_b)`, the same formula `merge()` uses for
 * data-parallel workers.
 */
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import type { Matrix } from './matrix.ts';
import { assertShape, inverseRowNorms } from './matrix.ts';
import type { MomentAccumulatorState } from './moment-accumulator-state.ts';
import { validateMomentAccumulatorState } from './moment-accumulator-state.ts';
import { mirrorUpper } from './scatter-kernel.ts';
import type { ColumnMeansFunction } from './simd-column-means.ts';
import type { ScatterFunction, ScatterKernel } from './simd-scatter.ts';
import { resolveScatterKernel } from './simd-scatter.ts';
import type { SpectrumOptions } from './singular-values.ts';
import { singularValuesOfScatter } from './singular-values.ts';

/** A streaming accumulator of mean and centred scatter of `d`-dimensional rows. */
export interface MomentAccumulator {
  /** Dimension `d` of the rows. */
  readonly dim: number;
  /** Total (decayed) weight of the rows; equals the number of rows when `decay` is 1. */
  readonly count: number;
  /** Number of rows ever added or merged in, regardless of decay. */
  readonly rowsSeen: number;
  /** Adds the `n` rows of the row-major `n x d` matrix `rows` (after decaying the old state, if n > 0). */
  add(rows: Matrix, n: number): void;
  /** Adds everything `other` accumulated (same `dim` and `normalize`); `other` is unchanged. */
  merge(other: MomentAccumulator): void;
  /** Weighted mean of the rows, length `d` (a copy). */
  mean(): Float64Array;
  /** The `d x d` centred sum of outer products `sum_r w_r (x_r - m)(x_r - m)^T` (a symmetric copy). */
  scatter(): Float64Array;
  /** Singular values (descending, length `d`) of the centred (weighted) matrix of all rows. */
  singularValues(): Float64Array;
  /** JSON-serialisable state, restored by {@link momentAccumulatorFromState}. */
  toJSON(): MomentAccumulatorState;
}

/** Options of {@link createMomentAccumulator}. */
export interface MomentAccumulatorOptions {
  /** Dimension `d` of the rows (positive integer). */
  dim: number;
  /** L2-normalise each row before accumulating it. Default `false`. */
  normalize?: boolean;
  /**
   * Factor in (0, 1] multiplying the weight of everything accumulated so far at each non-empty
   * `add()` call, for live monitoring (`0.9` keeps ~10 recent batches). Default `1` (no decay).
   */
  decay?: number;
  /** Scatter kernel, as in {@link SpectrumOptions}: `'auto'` (default), `'simd'` or `'typescript'`. */
  kernel?: ScatterKernel;
}

class ScatterAccumulator implements MomentAccumulator {
  readonly dim: number;
  readonly normalize: boolean;
  readonly decay: number;
  count = 0;
  rowsSeen = 0;
  private readonly m: Float64Array;
  /** d x d, upper triangle valid (a few entries below the diagonal are scratch). */
  private readonly upper: Float64Array;
  private readonly addScatter: ScatterFunction;
  private readonly means: ColumnMeansFunction;
  private readonly kernel: ScatterKernel | undefined;

  constructor(dim: number, normalize: boolean, decay: number, kernel: ScatterKernel | undefined) {
    this.dim = dim;
    this.normalize = normalize;
    this.decay = decay;
    const resolved = resolveScatterKernel(kernel, dim);
    this.addScatter = resolved.scatter;
    this.means = resolved.means;
    this.kernel = kernel;
    this.m = new Float64Array(dim);
    this.upper = new Float64Array(dim * dim);
  }

  add(rows: Matrix, n: number): void {
    const d = this.dim;
    assertShape(rows, n, d, 0);
    if (n === 0) return;
    const scale = this.normalize ? inverseRowNorms(rows, n, d, this.rowsSeen) : null;
    const chunkMean = this.means(rows, n, d, scale, this.rowsSeen);
    if (this.decay !== 1) {
      this.count *= this.decay;
      const u = this.upper;
      for (let k = 0; k < u.length; k++) u[k] *= this.decay;
    }
    this.addScatter(rows, n, d, chunkMean, scale, this.upper);
    this.combine(n, chunkMean);
    this.rowsSeen += n;
  }

  merge(other: MomentAccumulator): void {
    if (other.dim !== this.dim) {
      throw new CollapseMetricsError('shape-mismatch', `cannot merge an accumulator of dim ${other.dim} into dim ${this.dim}`);
    }
    const otherNormalize = other instanceof ScatterAccumulator ? other.normalize : other.toJSON().normalize;
    if (otherNormalize !== this.normalize) {
      throw new CollapseMetricsError('bad-option', `cannot merge normalize=${otherNormalize} into normalize=${this.normalize}`);
    }
    if (other.count === 0) return;
    const s = other.scatter();
    const u = this.upper;
    const d = this.dim;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) u[i * d + j] += s[i * d + j];
    }
    this.combine(other.count, other.mean());
    this.rowsSeen += other.rowsSeen;
  }

  /** Chan et al.'s update of mean and scatter for a batch of weight `w` and mean `mb` whose scatter is already in. */
  private combine(w: number, mb: Float64Array): void {
    const d = this.dim;
    const total = this.count + w;
    const f = (this.count * w) / total;
    const delta = new Float64Array(d);
    for (let i = 0; i < d; i++) delta[i] = mb[i] - this.m[i];
    const u = this.upper;
    for (let i = 0; i < d; i++) {
      const fi = f * delta[i];
      const row = i * d;
      for (let j = i; j < d; j++) u[row + j] += fi * delta[j];
    }
    const g = w / total;
    for (let i = 0; i < d; i++) this.m[i] += delta[i] * g;
    this.count = total;
  }

  mean(): Float64Array {
    return Float64Array.from(this.m);
  }

  scatter(): Float64Array {
    const s = Float64Array.from(this.upper);
    mirrorUpper(s, this.dim);
    return s;
  }

  singularValues(): Float64Array {
    if (this.rowsSeen < 2) {
      throw new CollapseMetricsError('too-few-rows', `need at least 2 rows, got ${this.rowsSeen}`);
    }
    return singularValuesOfScatter(Float64Array.from(this.upper), this.dim, this.kernel);
  }

  toJSON(): MomentAccumulatorState {
    const d = this.dim;
    const packed: number[] = [];
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) packed.push(this.upper[i * d + j]);
    }
    return {
      version: 1,
      dim: d,
      normalize: this.normalize,
      decay: this.decay,
      count: this.count,
      rowsSeen: this.rowsSeen,
      mean: Array.from(this.m),
      scatter: packed,
    };
  }

  /** Restores mean and packed upper-triangle scatter from a validated state. */
  load(state: MomentAccumulatorState): void {
    const d = this.dim;
    this.count = state.count;
    this.rowsSeen = state.rowsSeen;
    this.m.set(state.mean);
    let k = 0;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) this.upper[i * d + j] = state.scatter[k++];
    }
  }
}

/**
 * Creates an empty accumulator of `dim`-dimensional rows. After adding all rows of a matrix `x`
 * (in any chunking, or in parallel accumulators merged together) with `decay` 1, `singularValues()`
 * equals `singularValues(x, n, d, { normalize })`: flat for healthy, a few large values for collapsed.
 * Throws `zero-dim` for a bad `dim`, `bad-option` for `decay` outside (0, 1] or an unknown `kernel`,
 * `kernel-unavailable` for `kernel: 'simd'` where WebAssembly SIMD is missing.
 */
export function createMomentAccumulator(options: MomentAccumulatorOptions): MomentAccumulator {
  const { dim } = options;
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new CollapseMetricsError('zero-dim', `dim must be a positive integer, got ${dim}`);
  }
  const decay = options.decay ?? 1;
  if (!(decay > 0 && decay <= 1)) {
    throw new CollapseMetricsError('bad-option', `decay must be in (0, 1], got ${decay}`);
  }
  return new ScatterAccumulator(dim, options.normalize === true, decay, options.kernel);
}

/**
 * Rebuilds an accumulator from `toJSON()` output (for example read back from a checkpoint);
 * it continues exactly where the saved one stopped (with the `kernel` given, default `'auto'`).
 * Throws `bad-state` naming a malformed field.
 */
export function momentAccumulatorFromState(
  state: MomentAccumulatorState,
  options: Pick<SpectrumOptions, 'kernel'> = {},
): MomentAccumulator {
  const valid = validateMomentAccumulatorState(state);
  const acc = new ScatterAccumulator(valid.dim, valid.normalize, valid.decay, options.kernel);
  acc.load(valid);
  return acc;
}
