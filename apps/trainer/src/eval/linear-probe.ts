import { minimizeLbfgs, type LbfgsOptions } from './lbfgs.ts';

/** Raised when probe inputs are inconsistent (sizes, labels out of range); names the bad value. */
export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

/** Labelled features: `x` is `n x d` row-major, `y` the class of each row in [0, numClasses). */
export interface LabelledFeatures {
  x: Float32Array | Float64Array;
  y: Int32Array;
  n: number;
  d: number;
}

/** Options of {@link linearProbeAccuracy}. */
export interface LinearProbeOptions extends LbfgsOptions {
  numClasses: number;
  /** L2 penalty on the weights (not the biases) of the mean cross-entropy (default 1e-4). */
  l2?: number;
}

/** Per-dimension mean and std of the training features (std floored at 1e-8: constant dims become 0). */
export function fitStandardizer(x: Float32Array | Float64Array, n: number, d: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + x[i * d + j]! / n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = x[i * d + j]! - mean[j]!;
      std[j] = std[j]! + (c * c) / n;
    }
  }
  for (let j = 0; j < d; j++) std[j] = Math.max(Math.sqrt(std[j]!), 1e-8);
  return { mean, std };
}

function standardize(x: Float32Array | Float64Array, n: number, d: number, s: { mean: Float64Array; std: Float64Array }): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = (x[i * d + j]! - s.mean[j]!) / s.std[j]!;
  return out;
}

function check(name: string, data: LabelledFeatures, numClasses: number): void {
  if (data.x.length !== data.n * data.d) {
    throw new ProbeError(`${name}.x has ${data.x.length} values, expected n x d = ${data.n} x ${data.d}`);
  }
  if (data.y.length !== data.n) throw new ProbeError(`${name}.y has ${data.y.length} labels, expected ${data.n}`);
  for (const label of data.y) {
    if (label < 0 || label >= numClasses) throw new ProbeError(`${name}.y holds label ${label}, outside [0, ${numClasses})`);
  }
}

/**
 * Softmax scores -> mean cross-entropy + l2/2 ||W||^2 and its gradient, for W of shape (d + 1) x C
 * (last row = biases).
 */
function crossEntropy(x: Float64Array, y: Int32Array, n: number, d: number, c: number, l2: number) {
  return (w: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    const logits = new Float64Array(c);
    for (let i = 0; i < n; i++) {
      const row = i * d;
      for (let k = 0; k < c; k++) logits[k] = w[d * c + k]!;
      for (let j = 0; j < d; j++) {
        const v = x[row + j]!;
        if (v === 0) continue;
        const wr = j * c;
        for (let k = 0; k < c; k++) logits[k] = logits[k]! + v * w[wr + k]!;
      }
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, logits[k]!);
      let sum = 0;
      for (let k = 0; k < c; k++) {
        logits[k] = Math.exp(logits[k]! - max);
        sum += logits[k]!;
      }
      loss += Math.log(sum) + max - (Math.log(logits[y[i]!]!) + max);
      for (let k = 0; k < c; k++) logits[k] = (logits[k]! / sum - (k === y[i]! ? 1 : 0)) / n;
      for (let j = 0; j < d; j++) {
        const v = x[row + j]!;
        if (v === 0) continue;
        const wr = j * c;
        for (let k = 0; k < c; k++) grad[wr + k] = grad[wr + k]! + v * logits[k]!;
      }
      for (let k = 0; k < c; k++) grad[d * c + k] = grad[d * c + k]! + logits[k]!;
    }
    let penalty = 0;
    for (let i = 0; i < d * c; i++) {
      penalty += w[i]! * w[i]!;
      grad[i] = grad[i]! + l2 * w[i]!;
    }
    return loss / n + 0.5 * l2 * penalty;
  };
}

/**
 * Linear probe: multinomial logistic regression on features standardised with the training
 * statistics, trained to convergence by L-BFGS in float64 (deterministic), scored on `test`.
 * Returns the test accuracy in [0, 1] (chance = 1 / numClasses; higher = more linearly decodable).
 */
export function linearProbeAccuracy(train: LabelledFeatures, test: LabelledFeatures, options: LinearProbeOptions): number {
  const c = options.numClasses;
  check('train', train, c);
  check('test', test, c);
  if (train.d !== test.d) throw new ProbeError(`test features have d = ${test.d}, train d = ${train.d}`);
  const d = train.d;
  const scaler = fitStandardizer(train.x, train.n, d);
  const xTrain = standardize(train.x, train.n, d, scaler);
  const objective = crossEntropy(xTrain, train.y, train.n, d, c, options.l2 ?? 1e-4);
  const { x: w } = minimizeLbfgs(objective, new Float64Array((d + 1) * c), { maxIterations: 500, ...options });
  const xTest = standardize(test.x, test.n, d, scaler);
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    let best = 0;
    let bestScore = -Infinity;
    for (let k = 0; k < c; k++) {
      let score = w[d * c + k]!;
      for (let j = 0; j < d; j++) score += xTest[i * d + j]! * w[j * c + k]!;
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    }
    if (best === test.y[i]) correct++;
  }
  return test.n === 0 ? 0 : correct / test.n;
}
