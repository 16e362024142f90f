import { describe, it, expect } from 'vitest';
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import { symmetricEigenvalues } from './symmetric-eigenvalues.ts';
import { normalGenerator, symmetricWithEigenvalues, uniformGenerator } from './testing/random-matrices.ts';

function maxRelativeError(got: Float64Array, want: Float64Array, count: number): number {
  let worst = 0;
  for (let k = 0; k < count; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]) / Math.abs(want[k]));
  return worst;
}

function descending(values: number[]): Float64Array {
  return Float64Array.from(values).sort().reverse();
}

describe('symmetricEigenvalues', () => {
  it('recovers prescribed eigenvalues of Q diag(lambda) Q^T to ~1e-13 relative', () => {
    const u = uniformGenerator(3);
    for (const d of [1, 2, 3, 10, 97]) {
      const lambda = descending(Array.from({ length: d }, () => 0.1 + 10 * u()));
      const got = symmetricEigenvalues(symmetricWithEigenvalues(lambda, d), d);
      expect(got.length).toBe(d);
      expect(maxRelativeError(got, lambda, d)).toBeLessThan(1e-12);
    }
  });

  it('resolves clustered, repeated, zero and negative eigenvalues', () => {
    const lambda = descending([5, 5, 5, 1 + 1e-9, 1, 0, 0, -2, -2.5, 1e-3]);
    const got = symmetricEigenvalues(symmetricWithEigenvalues(lambda, 17), 10);
    for (let k = 0; k < 10; k++) expect(Math.abs(got[k] - lambda[k])).toBeLessThan(1e-13 * 5);
  });

  it('keeps the top eigenvalues to 1e-9 relative at d = 512 for a decaying spectrum', () => {
    const d = 512;
    const lambda = descending(Array.from({ length: d }, (_, k) => 1000 / (k + 1) ** 1.5));
    const got = symmetricEigenvalues(symmetricWithEigenvalues(lambda, 5), d);
    expect(maxRelativeError(got, lambda, 20)).toBeLessThan(1e-11);
    let worstAbs = 0;
    for (let k = 0; k < d; k++) worstAbs = Math.max(worstAbs, Math.abs(got[k] - lambda[k]));
    expect(worstAbs).toBeLessThan(1e-11 * lambda[0]);
  });

  it('keeps the top eigenvalues to 1e-9 relative at d = 1024 (the benchmark checks d = 2048)', () => {
    const d = 1024;
    const lambda = descending(Array.from({ length: d }, (_, k) => 50 * Math.exp(-k / 100) + 1e-3 * (k % 7)));
    const got = symmetricEigenvalues(symmetricWithEigenvalues(lambda, 6), d);
    expect(maxRelativeError(got, lambda, 50)).toBeLessThan(1e-9);
  });

  it('preserves the trace and the Frobenius norm on a random symmetric matrix', () => {
    const d = 64;
    const g = normalGenerator(8);
    const a = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        const v = g();
        a[i * d + j] = v;
        a[j * d + i] = v;
      }
    }
    const copy = Float64Array.from(a);
    const got = symmetricEigenvalues(a, d);
    expect(Array.from(a)).toEqual(Array.from(copy));
    let trace = 0;
    let frob = 0;
    for (let i = 0; i < d; i++) trace += a[i * d + i];
    for (const v of a) frob += v * v;
    let sum = 0;
    let sumSq = 0;
    for (const v of got) {
      sum += v;
      sumSq += v * v;
    }
    expect(Math.abs(sum - trace)).toBeLessThan(1e-12 * frob);
    expect(Math.abs(sumSq - frob) / frob).toBeLessThan(1e-13);
  });

  it('rejects asymmetric, non-finite and mis-shaped input with a typed error', () => {
    const a = Float64Array.from([1, 2, 3, 4]);
    expect(() => symmetricEigenvalues(a, 2)).toThrow(/a\[1\]\[0\] = 3 but a\[0\]\[1\] = 2/);
    expect(() => symmetricEigenvalues(Float64Array.from([1, Number.NaN, Number.NaN, 1]), 2)).toThrow(
      /row 0, column 1 is NaN/,
    );
    expect(() => symmetricEigenvalues(a, 3)).toThrow(/length 4 is not d \* d = 9/);
    expect(() => symmetricEigenvalues(new Float64Array(0), 0)).toThrow(CollapseMetricsError);
    try {
      symmetricEigenvalues(a, 2);
    } catch (e) {
      expect((e as CollapseMetricsError).code).toBe('not-symmetric');
    }
  });
});
