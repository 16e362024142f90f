import { MonitorError, describeValue } from './monitor-error.ts';

/**
 * A ridge regression on standardised features: `y ~ intercept + sum_j w_j (x_j - mean_j) / scale_j`.
 * Missing features (NaN) are imputed with the training mean, i.e. contribute 0; features
 * are clamped to the training range `[lower_j, upper_j]` so the model never extrapolates.
 */
export interface RidgeModel {
  mean: number[];
  lower: number[];
  upper: number[];
  scale: number[];
  weights: number[];
  intercept: number;
  lambda: number;
}

/** A fitted {@link RidgeModel} plus its leave-one-out residuals `y_i - yhat_{-i}` (length n). */
export interface RidgeFit extends RidgeModel {
  looResiduals: number[];
  looRmse: number;
}

/** Cholesky solve of the symmetric positive definite `a` (p x p, row-major) against `b`. */
function choleskySolve(a: Float64Array, b: Float64Array, p: number): Float64Array {
  const l = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * p + j];
      for (let k = 0; k < j; k++) sum -= l[i * p + k] * l[j * p + k];
      l[i * p + j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j * p + j];
    }
  }
  const z = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i * p + k] * z[k];
    z[i] = sum / l[i * p + i];
  }
  const x = new Float64Array(p);
  for (let i = p - 1; i >= 0; i--) {
    let sum = z[i];
    for (let k = i + 1; k < p; k++) sum -= l[k * p + i] * x[k];
    x[i] = sum / l[i * p + i];
  }
  return x;
}

/** Applies a {@link RidgeModel} to one feature vector (NaN features count as the mean). */
export function predictRidge(model: RidgeModel, x: readonly number[]): number {
  let y = model.intercept;
  for (let j = 0; j < model.weights.length; j++) {
    const v = x[j];
    if (Number.isFinite(v)) {
      const clamped = Math.min(model.upper[j], Math.max(model.lower[j], v));
      y += (model.weights[j] * (clamped - model.mean[j])) / model.scale[j];
    }
  }
  return y;
}

interface Standardised {
  mean: number[];
  scale: number[];
  lower: number[];
  upper: number[];
  z: number[][];
  yMean: number;
  gram: Float64Array;
  zty: Float64Array;
  p: number;
}

function standardise(x: readonly (readonly number[])[], y: readonly number[]): Standardised {
  const n = x.length;
  if (n < 3 || y.length !== n) {
    throw new MonitorError('insufficient-data', `ridge regression needs at least 3 rows with targets, got ${n} rows and ${y.length} targets`);
  }
  const p = x[0].length;
  const mean: number[] = [];
  const scale: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let j = 0; j < p; j++) {
    const col = x.map((row) => row[j]).filter((v) => Number.isFinite(v));
    const m = col.length > 0 ? col.reduce((a, b) => a + b, 0) / col.length : 0;
    const sd = col.length > 0 ? Math.sqrt(col.reduce((a, b) => a + (b - m) * (b - m), 0) / col.length) : 0;
    mean.push(m);
    scale.push(sd > 1e-12 ? sd : 1);
    lower.push(col.length > 0 ? Math.min(...col) : 0);
    upper.push(col.length > 0 ? Math.max(...col) : 0);
  }
  const z = x.map((row) => row.map((v, j) => (Number.isFinite(v) ? (v - mean[j]) / scale[j] : 0)));
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  const gram = new Float64Array(p * p);
  const zty = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      zty[a] += z[i][a] * (y[i] - yMean);
      for (let b = 0; b < p; b++) gram[a * p + b] += z[i][a] * z[i][b];
    }
  }
  return { mean, scale, lower, upper, z, yMean, gram, zty, p };
}

function penalised(s: Standardised, lambda: number): Float64Array {
  const a = Float64Array.from(s.gram);
  for (let j = 0; j < s.p; j++) a[j * s.p + j] += lambda;
  return a;
}

/**
 * Fits one ridge regression of `y` on the rows of `x` (n x p, NaN = missing) with penalty `lambda`; the
 * standardisation (mean, scale, range) comes from these rows only. The intercept is not penalised.
 */
export function fitRidgeAt(x: readonly (readonly number[])[], y: readonly number[], lambda: number): RidgeModel {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new MonitorError('invalid-option', `ridge lambda must be a finite number >= 0, got ${describeValue(lambda)}`);
  const s = standardise(x, y);
  const w = choleskySolve(penalised(s, lambda), s.zty, s.p);
  return { mean: s.mean, lower: s.lower, upper: s.upper, scale: s.scale, weights: Array.from(w), intercept: s.yMean, lambda };
}

/**
 * Fits ridge regressions of `y` on the rows of `x` (n x p, NaN = missing) for every
 * `lambda` in `lambdas` and keeps the one with the smallest leave-one-out error
 * (computed exactly from the hat matrix: r_i / (1 - h_ii)). The intercept is not
 * penalised; features with zero spread get scale 1.
 */
export function fitRidge(x: readonly (readonly number[])[], y: readonly number[], lambdas: readonly number[]): RidgeFit {
  const s = standardise(x, y);
  const { z, p, yMean } = s;
  const n = x.length;
  let best: RidgeFit | undefined;
  for (const lambda of lambdas) {
    const a = penalised(s, lambda);
    const w = choleskySolve(a, s.zty, p);
    const residuals: number[] = [];
    for (let i = 0; i < n; i++) {
      let fit = yMean;
      for (let j = 0; j < p; j++) fit += w[j] * z[i][j];
      const ainvz = choleskySolve(a, Float64Array.from(z[i]), p);
      let h = 1 / n;
      for (let j = 0; j < p; j++) h += z[i][j] * ainvz[j];
      residuals.push((y[i] - fit) / Math.max(1 - h, 1e-6));
    }
    const looRmse = Math.sqrt(residuals.reduce((r, e) => r + e * e, 0) / n);
    if (best === undefined || looRmse < best.looRmse) {
      best = { mean: s.mean, lower: s.lower, upper: s.upper, scale: s.scale, weights: Array.from(w), intercept: yMean, lambda, looResiduals: residuals, looRmse };
    }
  }
  if (best === undefined) throw new MonitorError('invalid-option', 'lambdas must not be empty, got []');
  return best;
}
