import { describe, it, expect } from 'vitest';
import { normalizedOutputStd } from './normalized-output-std.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

describe('normalizedOutputStd (SimSiam, Chen & He 2021)', () => {
  it('is about 1/sqrt(d) for an isotropic Gaussian (healthy)', () => {
    for (const d of [16, 128]) {
      const n = 3000;
      const std = normalizedOutputStd(Float32Array.from(gaussianMatrix(n, d, d)), n, d);
      expect(Math.abs(std * Math.sqrt(d) - 1)).toBeLessThan(0.03);
    }
  });

  it('is 0 for identical rows and for rows along one direction with positive scales (collapsed)', () => {
    const d = 10;
    const same = new Float64Array(4 * d).fill(-0.3);
    expect(normalizedOutputStd(same, 4, d)).toBe(0);
    const dir = gaussianMatrix(1, d, 2);
    const scaled = new Float64Array(5 * d).map((_, k) => dir[k % d] * (1 + Math.floor(k / d)));
    expect(normalizedOutputStd(scaled, 5, d)).toBeLessThan(1e-15);
  });

  it('matches a direct computation with the unbiased (n - 1) std on a small matrix', () => {
    // Rows (3, 4) and (0, 2) normalise to (0.6, 0.8) and (0, 1); per-dim std = |a - b| / sqrt(2).
    const std = normalizedOutputStd(Float64Array.from([3, 4, 0, 2]), 2, 2);
    expect(std).toBeCloseTo((0.6 / Math.SQRT2 + 0.2 / Math.SQRT2) / 2, 14);
  });

  it('gives the same value for float32 and float64 copies of float32 data', () => {
    const x32 = Float32Array.from(gaussianMatrix(200, 8, 5));
    expect(normalizedOutputStd(x32, 200, 8)).toBe(normalizedOutputStd(Float64Array.from(x32), 200, 8));
  });

  it('keeps zero rows at zero instead of dividing by 0', () => {
    const std = normalizedOutputStd(Float64Array.from([0, 0, 0, 1]), 2, 2);
    expect(std).toBeCloseTo((0 + 1 / Math.SQRT2) / 2, 14);
  });

  it('rejects NaN, n < 2 and a wrong length with messages naming the value', () => {
    expect(() => normalizedOutputStd(Float64Array.from([1, 2, Number.NaN, 4]), 2, 2)).toThrow(/row 1, column 0 is NaN/);
    expect(() => normalizedOutputStd(Float64Array.from([1, 2]), 1, 2)).toThrow(/at least 2 rows, got n = 1/);
    expect(() => normalizedOutputStd(Float64Array.from([1, 2, 3]), 2, 2)).toThrow(/data length 3/);
  });
});
