import { describe, expect, it } from 'vitest';
import { pearson } from './report-stats.ts';
import { clusterBootstrap, effectVerdict, pairedDifference, slopeInterval, welchDifference } from './effect-intervals.ts';
import { studentTCdf, studentTQuantile } from './student-t.ts';

describe('Student t', () => {
  it('matches the textbook quantiles', () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706, 3);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.303, 3);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.776, 3);
    expect(studentTQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228, 3);
    expect(studentTCdf(0, 3)).toBeCloseTo(0.5, 12);
  });

  it('rejects bad degrees of freedom and probabilities, naming them', () => {
    expect(() => studentTQuantile(0.975, 0)).toThrow(/got 0/);
    expect(() => studentTQuantile(1, 3)).toThrow(/in \(0, 1\), got 1/);
  });
});

describe('welchDifference', () => {
  it('gives the Welch interval of mean(b) - mean(a)', () => {
    const e = welchDifference([1, 2, 3], [4, 6, 8]);
    expect(e.effect).toBeCloseTo(4, 12);
    // se = sqrt(1/3 + 4/3), df = (5/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = 2.94: the interval spans zero
    const se = Math.sqrt(5 / 3);
    const df = (5 / 3) ** 2 / ((1 / 3) ** 2 / 2 + (4 / 3) ** 2 / 2);
    expect(e.high - e.effect).toBeCloseTo(studentTQuantile(0.975, df) * se, 9);
    expect(e.test).toContain('df 2.9');
    expect(effectVerdict(e, 1)).toBe('inconclusive');
  });

  it('reproduces when the interval excludes zero on the expected side', () => {
    const e = welchDifference([1, 2, 3], [5, 6, 7]);
    expect(e.low).toBeCloseTo(4 - 2.776 * Math.sqrt(2 / 3), 2);
    expect(e.n).toBe(6);
    expect(effectVerdict(e, 1)).toBe('reproduced');
    expect(effectVerdict(e, -1)).toBe('not reproduced');
  });

  it('is inconclusive when the interval spans zero or a side has one value', () => {
    expect(effectVerdict(welchDifference([1, 2, 3], [1.5, 2.5, 3.2]), 1)).toBe('inconclusive');
    expect(effectVerdict(welchDifference([1], [5, 6]), 1)).toBe('inconclusive');
  });
});

describe('pairedDifference', () => {
  it('gives the paired t interval of mean(b - a): a shift shared by both sides of a pair cancels', () => {
    // seeds start far apart (0, 10, 20, 30) but b is always a + 1 +- 0.1: Welch spans zero, the pairs do not
    const a = [0, 10, 20, 30];
    const b = [1.1, 10.9, 21.1, 30.9];
    const paired = pairedDifference(a.map((v, i) => [v, b[i]] as const));
    expect(paired.effect).toBeCloseTo(1, 12);
    const sd = Math.sqrt((4 * 0.01) / 3);
    expect(paired.high - paired.effect).toBeCloseTo((studentTQuantile(0.975, 3) * sd) / 2, 9);
    expect(paired.test).toContain('4 pairs, df 3');
    expect(paired.n).toBe(8);
    expect(effectVerdict(paired, 1)).toBe('reproduced');
    expect(effectVerdict(welchDifference(a, b), 1)).toBe('inconclusive');
  });

  it('is not measured with fewer than two finite pairs', () => {
    expect(Number.isNaN(pairedDifference([[1, 2]]).effect)).toBe(true);
    expect(Number.isNaN(pairedDifference([[1, 2], [Number.NaN, 3]]).low)).toBe(true);
  });
});

describe('slopeInterval', () => {
  it('recovers an exact line with a zero-width interval and a noisy one around its slope', () => {
    const exact = slopeInterval([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(exact.effect).toBeCloseTo(2, 12);
    expect(exact.high - exact.low).toBeCloseTo(0, 9);
    const noisy = slopeInterval([0, 1, 2, 3, 4], [0.1, 0.9, 2.2, 2.8, 4.1]);
    expect(noisy.low).toBeLessThan(1);
    expect(noisy.high).toBeGreaterThan(1);
  });
});

describe('clusterBootstrap', () => {
  it('brackets a strong correlation away from zero and is reproducible from its seed', () => {
    const clusters = Array.from({ length: 8 }, (_, k) => [0, 1, 2].map((j) => [k + 0.1 * j, -2 * k + 0.3 * ((j * 7 + k) % 3)] as [number, number]));
    const stat = (ps: [number, number][]) => pearson(ps.map((p) => p[0]), ps.map((p) => p[1]));
    const a = clusterBootstrap(clusters, stat, { replicates: 500, seed: 3 });
    expect(a.effect).toBeLessThan(-0.9);
    expect(a.high).toBeLessThan(0);
    expect(a.n).toBe(24);
    expect(clusterBootstrap(clusters, stat, { replicates: 500, seed: 3 })).toEqual(a);
    expect(() => clusterBootstrap(clusters.slice(0, 2), stat)).toThrow(/at least 3 clusters, got 2/);
  });
});
