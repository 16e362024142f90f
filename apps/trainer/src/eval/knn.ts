import { ProbeError, type LabelledFeatures } from './linear-probe.ts';

/** Options of {@link knnAccuracy}. */
export interface KnnOptions {
  numClasses: number;
  /** Neighbours (default 20). */
  k?: number;
  /** Temperature of the vote weights exp(sim / T) (default 0.07). */
  temperature?: number;
}

function l2Normalize(x: Float32Array | Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    let norm = 0;
    for (let j = 0; j < d; j++) norm += x[i * d + j]! * x[i * d + j]!;
    const inv = 1 / Math.max(Math.sqrt(norm), 1e-12);
    for (let j = 0; j < d; j++) out[i * d + j] = x[i * d + j]! * inv;
  }
  return out;
}

/**
 * Weighted k-nearest-neighbour classifier on cosine similarity (Wu et al. 2018, InstDisc; as used
 * by DINO): each of the k most similar training rows votes for its class with weight exp(sim / T).
 * Returns the test accuracy in [0, 1]. Ties in similarity go to the lower training index.
 */
export function knnAccuracy(train: LabelledFeatures, test: LabelledFeatures, options: KnnOptions): number {
  const k = Math.min(options.k ?? 20, train.n);
  const temperature = options.temperature ?? 0.07;
  const c = options.numClasses;
  if (train.d !== test.d) throw new ProbeError(`test features have d = ${test.d}, train d = ${train.d}`);
  if (k < 1) throw new ProbeError(`kNN needs at least one training row (got k = ${k})`);
  const d = train.d;
  const a = l2Normalize(train.x, train.n, d);
  const b = l2Normalize(test.x, test.n, d);
  const topSim = new Float64Array(k);
  const topIdx = new Int32Array(k);
  const votes = new Float64Array(c);
  let correct = 0;
  for (let t = 0; t < test.n; t++) {
    topSim.fill(-Infinity);
    topIdx.fill(-1);
    const q = t * d;
    for (let i = 0; i < train.n; i++) {
      let sim = 0;
      const r = i * d;
      for (let j = 0; j < d; j++) sim += a[r + j]! * b[q + j]!;
      if (sim <= topSim[k - 1]!) continue;
      let pos = k - 1;
      while (pos > 0 && topSim[pos - 1]! < sim) {
        topSim[pos] = topSim[pos - 1]!;
        topIdx[pos] = topIdx[pos - 1]!;
        pos--;
      }
      topSim[pos] = sim;
      topIdx[pos] = i;
    }
    votes.fill(0);
    for (let m = 0; m < k; m++) {
      const label = train.y[topIdx[m]!]!;
      if (label < 0 || label >= c) throw new ProbeError(`train.y holds label ${label}, outside [0, ${c})`);
      votes[label] = votes[label]! + Math.exp(topSim[m]! / temperature);
    }
    let best = 0;
    for (let label = 1; label < c; label++) if (votes[label]! > votes[best]!) best = label;
    if (best === test.y[t]) correct++;
  }
  return test.n === 0 ? 0 : correct / test.n;
}
