import { describe, it, expect } from 'vitest';
import { rankMe, stableRank } from './effective-rank.ts';
import { singularValues } from './singular-values.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

const rankK = (d: number, k: number): number[] => Array.from({ length: d }, (_, i) => (i < k ? 3 : 0));

describe('rankMe (Garrido et al. 2023)', () => {
  it('is d for a flat spectrum (healthy), up to the epsilon bias d * 1e-7 * (ln d - 1)', () => {
    for (const d of [4, 128, 2048]) {
      const got = rankMe(new Array(d).fill(1.7));
      expect(Math.abs(got - d) / d).toBeLessThan(1.1 * d * 1e-7 * Math.log(d) + 1e-12);
      const p = 1 / d + 1e-7;
      expect(got).toBeCloseTo(Math.exp(-d * p * Math.log(p)), 8);
    }
  });

  it('is about k for rank k with equal values and about 1 for rank one: collapsed', () => {
    expect(rankMe(rankK(512, 10))).toBeCloseTo(10, 1);
    expect(rankMe(rankK(512, 1))).toBeCloseTo(1, 2);
    expect(rankMe(rankK(512, 1))).toBeGreaterThan(1);
  });

  it('is 0 for identical rows (all-zero spectrum)', () => {
    expect(rankMe([0, 0, 0])).toBe(0);
  });

  it('matches exp(entropy) with the 1e-7 epsilon computed directly', () => {
    const s = [5, 3, 1, 0.5, 0];
    const total = 9.5;
    let h = 0;
    for (const v of s) {
      const p = v / total + 1e-7;
      h -= p * Math.log(p);
    }
    expect(rankMe(s)).toBeCloseTo(Math.exp(h), 12);
  });

  it('is above 0.9 d for the spectrum of an isotropic Gaussian sample', () => {
    const n = 2000;
    const d = 32;
    expect(rankMe(singularValues(gaussianMatrix(n, d, 3), n, d))).toBeGreaterThan(0.9 * d);
  });
});

describe('stableRank', () => {
  it('is exactly d for a flat spectrum and k for rank k with equal values', () => {
    expect(stableRank(new Array(300).fill(0.2))).toBeCloseTo(300, 10);
    expect(stableRank(rankK(300, 7))).toBeCloseTo(7, 12);
    expect(stableRank(rankK(300, 1))).toBe(1);
  });

  it('is sum s^2 / max s^2 on a mixed spectrum and 0 for identical rows', () => {
    expect(stableRank([1, 2, 4])).toBeCloseTo(21 / 16, 14);
    expect(stableRank([0, 0])).toBe(0);
  });

  it('rejects a negative value', () => {
    expect(() => stableRank([1, -1])).toThrow(/singular value 1 is negative: -1/);
  });
});
