import { describe, it, expect } from 'vitest';
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import { singularValues } from './singular-values.ts';
import { centredCopy, jacobiSingularValues, worstSpectrumError } from './testing/jacobi-svd.ts';
import { gaussianMatrix, lowRankMatrix, normalGenerator } from './testing/random-matrices.ts';

function reference(x: ArrayLike<number>, n: number, d: number): Float64Array {
  return jacobiSingularValues(centredCopy(x, n, d), n, d);
}

function expectError(fn: () => unknown, code: string, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(CollapseMetricsError);
  const err = caught as CollapseMetricsError;
  expect(err.name).toBe('CollapseMetricsError');
  expect(err.code).toBe(code);
  expect(err.message).toMatch(message);
}

describe('singularValues against one-sided Jacobi SVD', () => {
  it('matches on random Gaussian matrices of several shapes (float64 and float32)', () => {
    for (const [n, d, seed] of [[60, 7, 1], [200, 37, 2], [40, 40, 3], [13, 30, 4]]) {
      const x = gaussianMatrix(n, d, seed);
      const ref = reference(x, n, d);
      const s = singularValues(x, n, d);
      expect(s.length).toBe(d);
      expect(worstSpectrumError(s, ref, 1e-11, 1e-7)).toBeLessThan(1);
      expect(Math.abs(s[0] - ref[0]) / ref[0]).toBeLessThan(1e-12);
      const x32 = Float32Array.from(x);
      const s32 = singularValues(x32, n, d);
      expect(worstSpectrumError(s32, reference(x32, n, d), 1e-11, 1e-7)).toBeLessThan(1);
    }
  });

  it('is descending and non-negative', () => {
    const s = singularValues(gaussianMatrix(50, 20, 9), 50, 20);
    for (let k = 1; k < s.length; k++) expect(s[k]).toBeLessThanOrEqual(s[k - 1]);
    expect(s[s.length - 1]).toBeGreaterThanOrEqual(0);
  });

  it('finds exactly k non-negligible values for a rank-k matrix', () => {
    const n = 120;
    const d = 33;
    const x = lowRankMatrix(n, d, 5, 11);
    const ref = reference(x, n, d);
    const s = singularValues(x, n, d);
    expect(worstSpectrumError(s, ref, 1e-10, 1e-7)).toBeLessThan(1);
    expect(s[4] / s[0]).toBeGreaterThan(1e-3);
    for (let k = 5; k < d; k++) expect(s[k] / s[0]).toBeLessThan(1e-7);
  });

  it('keeps the top values to 1e-10 relative with columns scaled from 1e-6 to 1e6', () => {
    const n = 150;
    const d = 25;
    const x = gaussianMatrix(n, d, 21);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < d; c++) x[r * d + c] *= 10 ** (-6 + (12 * c) / (d - 1));
    }
    const ref = reference(x, n, d);
    const s = singularValues(x, n, d);
    // Values above the Gram noise floor (1e-7 s_1) are accurate; below it the error is absolute.
    expect(worstSpectrumError(s, ref, 1e-10, 1e-7)).toBeLessThan(1);
    for (let k = 0; k < 4; k++) expect(Math.abs(s[k] - ref[k]) / ref[k]).toBeLessThan(1e-10);
  });

  it('removes a large mean offset without losing precision', () => {
    const n = 100;
    const d = 12;
    const noise = gaussianMatrix(n, d, 31);
    const shifted = noise.map((v, k) => v + 1e6 * (1 + (k % d)));
    const ref = reference(noise, n, d);
    const s = singularValues(shifted, n, d);
    expect(worstSpectrumError(s, ref, 1e-8, 1e-9)).toBeLessThan(1);
  });

  it('normalises rows first when asked, matching a manual L2 normalisation', () => {
    const n = 80;
    const d = 16;
    const x = gaussianMatrix(n, d, 41).map((v, k) => v * (1 + Math.floor(k / d)));
    const normalised = new Float64Array(n * d);
    for (let r = 0; r < n; r++) {
      let ss = 0;
      for (let c = 0; c < d; c++) ss += x[r * d + c] ** 2;
      for (let c = 0; c < d; c++) normalised[r * d + c] = x[r * d + c] / Math.sqrt(ss);
    }
    const s = singularValues(x, n, d, { normalize: true });
    expect(worstSpectrumError(s, reference(normalised, n, d), 1e-11, 1e-8)).toBeLessThan(1);
    // Off by default: the raw rows' spectrum differs (row norms grow with the row index).
    expect(singularValues(x, n, d)[0]).toBeGreaterThan(10 * s[0]);
  });

  it('gives all zeros for identical rows and the values of a shifted identity exactly', () => {
    const d = 9;
    const same = new Float64Array(5 * d).fill(3.25);
    expect(Array.from(singularValues(same, 5, d))).toEqual(new Array(d).fill(0));
    // Rows e_1..e_d: centred Gram = I - 11^T/d, eigenvalues 1 (d-1 times) and 0.
    const eye = new Float64Array(d * d);
    for (let i = 0; i < d; i++) eye[i * d + i] = 1;
    const s = singularValues(eye, d, d);
    for (let k = 0; k < d - 1; k++) expect(s[k]).toBeCloseTo(1, 12);
    expect(s[d - 1]).toBeLessThan(1e-7);
  });

  it('handles a dimension that is not a multiple of the 4 x 4 tile and more than one row block', () => {
    const g = normalGenerator(5);
    const n = 203;
    const d = 6;
    const x = new Float32Array(n * d).map(() => g());
    expect(worstSpectrumError(singularValues(x, n, d), reference(x, n, d), 1e-11, 1e-8)).toBeLessThan(1);
  });
});

describe('singularValues input validation', () => {
  const x = gaussianMatrix(4, 3, 1);
  it('names the row and column of a NaN or an infinity', () => {
    const bad = Float64Array.from(x);
    bad[2 * 3 + 1] = Number.NaN;
    expectError(() => singularValues(bad, 4, 3), 'non-finite', /row 2, column 1 is NaN/);
    const inf = Float32Array.from(x);
    inf[3 * 3 + 2] = Number.NEGATIVE_INFINITY;
    expectError(() => singularValues(inf, 4, 3), 'non-finite', /row 3, column 2 is -Infinity/);
    expectError(() => singularValues(inf, 4, 3, { normalize: true }), 'non-finite', /row 3, column 2/);
  });
  it('rejects n < 2, d = 0 and a length that is not n * d', () => {
    expectError(() => singularValues(x.subarray(0, 3), 1, 3), 'too-few-rows', /n = 1/);
    expectError(() => singularValues(new Float64Array(0), 4, 0), 'zero-dim', /got 0/);
    expectError(() => singularValues(x, 5, 3), 'shape-mismatch', /12 is not n \* d = 5 \* 3 = 15/);
    expectError(() => singularValues(x, 2.5, 3), 'bad-count', /2\.5/);
  });
});
