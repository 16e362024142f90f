import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { conformalQuantile, mean, median, slope, standardDeviation } from './robust-stats.ts';

describe('robust statistics', () => {
  it('median, mean, std and slope on known values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
    expect(mean([1, 2, 3, 6])).toBe(3);
    expect(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9])).toBe(2);
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(slope([1, 1], [0, 5])).toBe(0);
  });

  it('conformal quantile is the ceil((n+1) level)-th smallest score, Infinity when n is too small', () => {
    const scores = Array.from({ length: 19 }, (_, i) => i + 1);
    expect(conformalQuantile(scores, 0.9)).toBe(18);
    expect(conformalQuantile(scores, 0.95)).toBe(19);
    expect(conformalQuantile([1, 2, 3], 0.9)).toBe(Number.POSITIVE_INFINITY);
  });

  it('a conformal half-width from n exchangeable scores covers a new score with probability >= level', () => {
    const random = createRandom(77);
    for (const level of [0.5, 0.9]) {
      let covered = 0;
      const trials = 2000;
      for (let t = 0; t < trials; t++) {
        const scores = Array.from({ length: 29 }, () => Math.abs(random.normal()));
        if (Math.abs(random.normal()) <= conformalQuantile(scores, level)) covered += 1;
      }
      // exact coverage is ceil(30 level) / 30: 0.5 and 0.9 here
      expect(covered / trials).toBeGreaterThan(level - 0.03);
      expect(covered / trials).toBeLessThan(level + 0.05);
    }
  });

  it('seeded random: reproducible, uniform in [0, 1), normals with unit variance', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    const xs = Array.from({ length: 5000 }, () => a.next());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b.next()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const normals = Array.from({ length: 5000 }, () => a.normal());
    expect(Math.abs(mean(normals))).toBeLessThan(0.05);
    expect(standardDeviation(normals)).toBeGreaterThan(0.95);
    expect(standardDeviation(normals)).toBeLessThan(1.05);
  });
});
