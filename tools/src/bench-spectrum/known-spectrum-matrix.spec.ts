import { describe, it, expect } from 'vitest';
import { symmetricEigenvalues } from '@siamwatch/collapse-metrics';
import { matrixWithEigenvalues, powerLawEigenvalues } from './known-spectrum-matrix.ts';

describe('matrixWithEigenvalues', () => {
  it('builds a symmetric, non-diagonal matrix whose eigenvalues are the prescribed ones', () => {
    const lambda = powerLawEigenvalues(40, 100, 1.2);
    expect(lambda[0]).toBe(100);
    expect(lambda[1]).toBeCloseTo(100 * 2 ** -1.2, 12);
    const a = matrixWithEigenvalues(lambda, 9);
    expect(Math.abs(a[1])).toBeGreaterThan(1e-6);
    for (let i = 0; i < 40; i++) for (let j = 0; j < i; j++) expect(a[i * 40 + j]).toBe(a[j * 40 + i]);
    const got = symmetricEigenvalues(a, 40);
    for (let k = 0; k < 40; k++) expect(Math.abs(got[k] - lambda[k])).toBeLessThan(1e-12 * lambda[0]);
  });

  it('is deterministic in its seed and diagonal without reflectors', () => {
    const lambda = powerLawEigenvalues(12, 5, 0.5);
    expect(Array.from(matrixWithEigenvalues(lambda, 4))).toEqual(Array.from(matrixWithEigenvalues(lambda, 4)));
    expect(Array.from(matrixWithEigenvalues(lambda, 4))).not.toEqual(Array.from(matrixWithEigenvalues(lambda, 5)));
    const diagonal = matrixWithEigenvalues(lambda, 4, 0);
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) expect(diagonal[i * 12 + j]).toBe(i === j ? lambda[i] : 0);
    }
  });

  it('preserves the Frobenius norm: sum of squared entries = sum of squared eigenvalues', () => {
    const lambda = powerLawEigenvalues(64, 3, 0.8);
    const a = matrixWithEigenvalues(lambda, 11, 5);
    let frob = 0;
    for (const v of a) frob += v * v;
    let want = 0;
    for (const v of lambda) want += v * v;
    expect(Math.abs(frob - want) / want).toBeLessThan(1e-13);
  });

  it('gives descending power-law eigenvalues scale * k^-decay', () => {
    const lambda = powerLawEigenvalues(100, 2, 1);
    expect(lambda[99]).toBeCloseTo(0.02, 14);
    for (let k = 1; k < 100; k++) expect(lambda[k]).toBeLessThan(lambda[k - 1]);
  });
});
