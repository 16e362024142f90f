/**
 * A symmetric test matrix with exactly known eigenvalues, for the eigensolver part of the spectrum
 * benchmark: `A = H_3 H_2 H_1 diag(lambda) H_1 H_2 H_3` with random Householder reflectors `H_k`
 * (orthogonal, so the eigenvalues of `A` are `lambda` up to rounding of the construction, ~1e-15).
 */

/** Seeded standard normal generator (mulberry32 + Box-Muller). */
function normal(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Power-law eigenvalues `scale * k^-decay`, k = 1..d, descending (a trained-backbone-like spectrum). */
export function powerLawEigenvalues(d: number, scale: number, decay: number): Float64Array {
  return Float64Array.from({ length: d }, (_, k) => scale * (k + 1) ** -decay);
}

/** Row-major `d x d` symmetric matrix with eigenvalues `lambda`, built with `reflectors` reflections. */
export function matrixWithEigenvalues(lambda: Float64Array, seed: number, reflectors = 3): Float64Array {
  const d = lambda.length;
  const a = new Float64Array(d * d);
  for (let i = 0; i < d; i++) a[i * d + i] = lambda[i];
  const g = normal(seed);
  const v = new Float64Array(d);
  const w = new Float64Array(d);
  for (let rep = 0; rep < reflectors; rep++) {
    let norm = 0;
    for (let i = 0; i < d; i++) {
      v[i] = g();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) v[i] /= norm;
    // H A H = A - 2 v w^T - 2 w v^T + 4 (v^T A v) v v^T with w = A v.
    let vav = 0;
    for (let i = 0; i < d; i++) {
      let acc = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) acc += a[row + j] * v[j];
      w[i] = acc;
      vav += v[i] * acc;
    }
    for (let i = 0; i < d; i++) {
      const row = i * d;
      const vi = v[i];
      const wi = w[i];
      for (let j = 0; j <= i; j++) {
        const value = a[row + j] - 2 * vi * w[j] - 2 * wi * v[j] + 4 * vav * vi * v[j];
        a[row + j] = value;
        a[j * d + i] = value;
      }
    }
  }
  return a;
}
