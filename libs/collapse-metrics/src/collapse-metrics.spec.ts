import { describe, it, expect } from 'vitest';
import { collapseMetrics } from './collapse-metrics.ts';
import { gaussianMatrix, lowRankMatrix } from './testing/random-matrices.ts';

describe('collapseMetrics on the canonical cases', () => {
  it('isotropic Gaussian: AUC ~0.5, ranks ~d, normalised std ~1/sqrt(d) (healthy)', () => {
    const n = 4000;
    const d = 64;
    const r = collapseMetrics(Float32Array.from(gaussianMatrix(n, d, 1)), n, d);
    expect(r.n).toBe(n);
    expect(r.dim).toBe(d);
    expect(r.singularValues.length).toBe(d);
    expect(r.auc).toBeGreaterThan(0.5);
    expect(r.auc).toBeLessThan(0.53);
    expect(r.rankme).toBeGreaterThan(0.95 * d);
    expect(r.stableRank).toBeGreaterThan(0.6 * d);
    expect(r.components90).toBeGreaterThan(0.85 * d);
    expect(Math.abs(r.normalizedStd * Math.sqrt(d) - 1)).toBeLessThan(0.03);
  });

  it('rank-k data: at most k components, RankMe and stable rank at most k (partial collapse)', () => {
    const n = 500;
    const d = 64;
    const k = 4;
    const r = collapseMetrics(lowRankMatrix(n, d, k, 2), n, d);
    expect(r.components99).toBeLessThanOrEqual(k);
    expect(r.rankme).toBeLessThan(k + 0.1);
    expect(r.stableRank).toBeLessThan(k);
    expect(r.auc).toBeGreaterThan(0.95);
    expect(r.alpha).toBeGreaterThan(2);
  });

  it('all-equal rows: AUC 1, ranks 0, normalised std 0 (complete collapse)', () => {
    const d = 32;
    const x = new Float32Array(10 * d).map((_, k) => Math.sin(k % d));
    const r = collapseMetrics(x, 10, d);
    expect(r.auc).toBe(1);
    expect(r.rankme).toBe(0);
    expect(r.stableRank).toBe(0);
    expect(r.components90).toBe(0);
    expect(r.normalizedStd).toBeLessThan(1e-15);
    expect(Array.from(r.singularValues)).toEqual(new Array(d).fill(0));
  });

  it('identity rows (the basis vectors): d - 1 equal values after centring', () => {
    const d = 50;
    const x = new Float64Array(d * d);
    for (let i = 0; i < d; i++) x[i * d + i] = 1;
    const r = collapseMetrics(x, d, d);
    expect(r.stableRank).toBeCloseTo(d - 1, 9);
    expect(r.components90).toBe(Math.ceil(0.9 * (d - 1)));
    expect(r.auc).toBeCloseTo(((d - 1 + 1) / 2 + 1) / d, 10);
    expect(Math.abs(r.rankme - (d - 1))).toBeLessThan(0.01);
    // Unbiased std of a 0/1 column with a single 1: sqrt(1/d) exactly.
    expect(r.normalizedStd).toBeCloseTo(Math.sqrt(1 / d), 12);
  });

  it('normalize changes the spectrum but not the normalised std', () => {
    const n = 300;
    const d = 16;
    const x = gaussianMatrix(n, d, 4).map((v, k) => v * (1 + Math.floor(k / d) / 10));
    const raw = collapseMetrics(x, n, d);
    const normed = collapseMetrics(x, n, d, { normalize: true });
    expect(normed.singularValues[0]).toBeLessThan(raw.singularValues[0] / 5);
    expect(normed.normalizedStd).toBe(raw.normalizedStd);
  });

  it('rejects bad input with a typed error naming the problem', () => {
    expect(() => collapseMetrics(new Float32Array(6), 3, 0)).toThrow(/dimension d must be a positive integer, got 0/);
    expect(() => collapseMetrics(Float32Array.from([1, 2, 3, Number.NaN]), 2, 2)).toThrow(/row 1, column 1 is NaN/);
  });
});
