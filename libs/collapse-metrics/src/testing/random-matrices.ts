/**
 * Seeded random matrices for the tests of this library (not exported from the package index).
 */

/** Mulberry32: a small, fast, seeded uniform generator on [0, 1). */
export function uniformGenerator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded standard normal generator (Box-Muller on {@link uniformGenerator}). */
export function normalGenerator(seed: number): () => number {
  const u = uniformGenerator(seed);
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const theta = 2 * Math.PI * u();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

/** An `n x d` row-major matrix of i.i.d. standard normal entries (float64). */
export function gaussianMatrix(n: number, d: number, seed: number): Float64Array {
  const g = normalGenerator(seed);
  const x = new Float64Array(n * d);
  for (let k = 0; k < x.length; k++) x[k] = g();
  return x;
}

/** `n x d` matrix of rank at most `k`: an `n x k` Gaussian times a `k x d` Gaussian. */
export function lowRankMatrix(n: number, d: number, k: number, seed: number): Float64Array {
  const a = gaussianMatrix(n, k, seed);
  const b = gaussianMatrix(k, d, seed + 1);
  const x = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let t = 0; t < k; t++) {
      const v = a[r * k + t];
      for (let c = 0; c < d; c++) x[r * d + c] += v * b[t * d + c];
    }
  }
  return x;
}

/** A random symmetric `d x d` matrix `Q diag(lambda) Q^T` with `Q` a product of 3 Householder reflectors. */
export function symmetricWithEigenvalues(lambda: Float64Array, seed: number): Float64Array {
  const d = lambda.length;
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) a[i * d + i] = lambda[i];
  const g = normalGenerator(seed);
  const v = new Float64Array(d);
  const w = new Float64Array(d);
  for (let rep = 0; rep < 3; rep++) {
    let norm = 0;
    for (let i = 0; i < d; i++) {
      v[i] = g();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) v[i] /= norm;
    // A <- H A H with H = I - 2 v v^T: A - 2 v w^T - 2 w v^T + 4 (v^T A v) v v^T, w = A v.
    let vav = 0;
    for (let i = 0; i < d; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += a[i * d + j] * v[j];
      w[i] = acc;
      vav += v[i] * acc;
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        a[i * d + j] += -2 * v[i] * w[j] - 2 * w[i] * v[j] + 4 * vav * v[i] * v[j];
      }
    }
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < i; j++) a[j * d + i] = a[i * d + j];
    }
  }
  return a;
}
