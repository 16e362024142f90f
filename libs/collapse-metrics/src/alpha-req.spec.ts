import { describe, it, expect } from 'vitest';
import { alphaReq } from './alpha-req.ts';
import { singularValues } from './singular-values.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

describe('alphaReq (power-law decay of the singular values)', () => {
  it('recovers the exponent of an exact power law with R^2 = 1', () => {
    for (const a of [0.5, 1, 2.3]) {
      const s = Array.from({ length: 200 }, (_, k) => 7 * (k + 1) ** -a);
      const fit = alphaReq(s);
      expect(fit.alpha).toBeCloseTo(a, 10);
      expect(fit.r2).toBeCloseTo(1, 10);
    }
  });

  it('is 0 with R^2 = 1 for a flat spectrum (healthy)', () => {
    expect(alphaReq(new Array(50).fill(3))).toEqual({ alpha: 0, r2: 1 });
  });

  it('is small for an isotropic Gaussian sample and large after collapse to low rank', () => {
    const n = 1000;
    const d = 40;
    const healthy = alphaReq(singularValues(gaussianMatrix(n, d, 12), n, d));
    expect(healthy.alpha).toBeGreaterThan(0);
    expect(healthy.alpha).toBeLessThan(0.2);
    const collapsed = alphaReq(Array.from({ length: d }, (_, k) => (k < 4 ? 1 : 0)));
    expect(collapsed.alpha).toBeGreaterThan(3);
  });

  it('grows as a gradual decay steepens, and reports a poor fit on a hard rank cliff', () => {
    const decay = (rate: number): number[] => Array.from({ length: 256 }, (_, k) => Math.exp(-rate * k));
    expect(alphaReq(decay(0.05)).alpha).toBeGreaterThan(alphaReq(decay(0.01)).alpha);
    expect(alphaReq(decay(0.01)).alpha).toBeGreaterThan(alphaReq(new Array(256).fill(1)).alpha);
    const cliff = alphaReq(Array.from({ length: 512 }, (_, k) => (k < 1 ? 1 : 0)));
    expect(cliff.r2).toBeLessThan(0.2);
  });

  it('fits unsorted input after sorting it descending', () => {
    expect(alphaReq([0.25, 1, 0.5]).alpha).toBeCloseTo(alphaReq([1, 0.5, 0.25]).alpha, 14);
    expect(alphaReq([1, 0.5, 0.25]).alpha).toBeGreaterThan(0);
  });

  it('returns alpha = Infinity for identical rows and 0 for a single value', () => {
    expect(alphaReq([0, 0, 0])).toEqual({ alpha: Number.POSITIVE_INFINITY, r2: 0 });
    expect(alphaReq([2])).toEqual({ alpha: 0, r2: 0 });
  });

  it('rejects non-finite values naming the index', () => {
    expect(() => alphaReq([1, Number.POSITIVE_INFINITY])).toThrow(/singular value 1 is Infinity/);
  });
});
