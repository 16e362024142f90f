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
});
