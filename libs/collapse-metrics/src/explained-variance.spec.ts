import { describe, it, expect } from 'vitest';
import { componentsForVariance, cumulativeExplainedVariance, spectrumAuc } from './explained-variance.ts';

const flat = (d: number): number[] => new Array(d).fill(2.5);
const rankK = (d: number, k: number): number[] => Array.from({ length: d }, (_, i) => (i < k ? 1 : 0));

describe('cumulativeExplainedVariance (Eq. 2, on singular values)', () => {
  it('is k/d for a flat spectrum and 1 everywhere for rank one', () => {
    const c = cumulativeExplainedVariance(flat(8));
    expect(Array.from(c).map((v) => Number(v.toFixed(12)))).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((k) => k / 8));
    expect(Array.from(cumulativeExplainedVariance(rankK(5, 1)))).toEqual([1, 1, 1, 1, 1]);
  });

  it('uses singular values, not their squares, and sorts its input', () => {
    const c = cumulativeExplainedVariance([1, 3]);
    expect(c[0]).toBeCloseTo(0.75, 15);
    expect(c[1]).toBe(1);
  });

  it('treats an all-zero spectrum (identical rows) as fully collapsed', () => {
    expect(Array.from(cumulativeExplainedVariance([0, 0, 0]))).toEqual([1, 1, 1]);
  });

  it('rejects empty, negative and non-finite spectra naming the value', () => {
    expect(() => cumulativeExplainedVariance([])).toThrow(/empty/);
    expect(() => cumulativeExplainedVariance([1, -0.5])).toThrow(/singular value 1 is negative: -0.5/);
    expect(() => cumulativeExplainedVariance([1, Number.NaN])).toThrow(/singular value 1 is NaN/);
  });
});

describe('spectrumAuc', () => {
  it('is (d + 1) / (2d), about 0.5, for a flat spectrum (healthy)', () => {
    for (const d of [1, 2, 10, 512]) expect(spectrumAuc(flat(d))).toBeCloseTo((d + 1) / (2 * d), 12);
  });

  it('is 1 for rank one and for identical rows (collapsed)', () => {
    expect(spectrumAuc(rankK(512, 1))).toBe(1);
    expect(spectrumAuc(new Array(64).fill(0))).toBe(1);
  });

  it('is ((k + 1) / 2 + d - k) / d for rank k with equal values, rising as k falls', () => {
    const d = 100;
    let previous = 0;
    for (const k of [100, 50, 10, 2]) {
      const auc = spectrumAuc(rankK(d, k));
      expect(auc).toBeCloseTo(((k + 1) / 2 + d - k) / d, 12);
      expect(auc).toBeGreaterThan(previous);
      previous = auc;
    }
  });
});

describe('componentsForVariance', () => {
  it('needs ceil(fraction * d) components for a flat spectrum (healthy)', () => {
    expect(componentsForVariance(flat(10), 0.9)).toBe(9);
    expect(componentsForVariance(flat(512), 0.9)).toBe(461);
    expect(componentsForVariance(flat(512), 0.99)).toBe(507);
    expect(componentsForVariance(flat(7), 1)).toBe(7);
  });

  it('needs at most k for rank k, 1 for rank one, 0 for identical rows (collapsed)', () => {
    expect(componentsForVariance(rankK(512, 1), 0.99)).toBe(1);
    expect(componentsForVariance(rankK(512, 20), 0.9)).toBe(18);
    expect(componentsForVariance(new Array(8).fill(0), 0.9)).toBe(0);
  });

  it('rejects a fraction outside (0, 1]', () => {
    expect(() => componentsForVariance(flat(3), 0)).toThrow(/fraction must be in \(0, 1\], got 0/);
    expect(() => componentsForVariance(flat(3), 1.2)).toThrow(/got 1.2/);
  });
});
