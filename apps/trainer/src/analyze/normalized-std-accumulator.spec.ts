import { describe, expect, it } from 'vitest';
import { normalizedOutputStd } from '@siamwatch/collapse-metrics';
import { createNormalizedStdAccumulator } from './normalized-std-accumulator.ts';

function sample(n: number, d: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n * d }, () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1);
}

describe('createNormalizedStdAccumulator', () => {
  it.each([1, 3, 10, 64])('equals normalizedOutputStd on the whole matrix when fed chunks of %i rows', (chunk) => {
    const n = 64;
    const d = 16;
    const x = sample(n, d, 3);
    const acc = createNormalizedStdAccumulator(d);
    for (let r = 0; r < n; r += chunk) {
      const rows = Math.min(chunk, n - r);
      acc.add(x.subarray(r * d, (r + rows) * d), rows);
    }
    expect(acc.count).toBe(n);
    expect(acc.value()).toBeCloseTo(normalizedOutputStd(x, n, d), 13);
  });

  it('is ~1/sqrt(d) for isotropic rows and 0 for rows pointing one way', () => {
    const n = 4000;
    const d = 8;
    const healthy = createNormalizedStdAccumulator(d);
    healthy.add(sample(n, d, 11), n);
    expect(healthy.value()).toBeGreaterThan(0.8 / Math.sqrt(d));
    expect(healthy.value()).toBeLessThan(1.2 / Math.sqrt(d));
    const collapsed = createNormalizedStdAccumulator(d);
    const rows = Float64Array.from({ length: 10 * d }, (_, i) => (i % d === 2 ? 1 + Math.floor(i / d) : 0));
    collapsed.add(rows, 10);
    expect(collapsed.value()).toBe(0);
  });

  it('treats all-zero rows as zero vectors (norm floor 1e-12), like the library', () => {
    const d = 3;
    const x = Float64Array.from([0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0]);
    const acc = createNormalizedStdAccumulator(d);
    acc.add(x, 4);
    expect(acc.value()).toBeCloseTo(normalizedOutputStd(x, 4, d), 14);
  });

  it('is NaN with fewer than 2 rows and ignores empty chunks', () => {
    const acc = createNormalizedStdAccumulator(2);
    acc.add(new Float32Array(0), 0);
    expect(acc.count).toBe(0);
    acc.add(new Float32Array([1, 2]), 1);
    expect(Number.isNaN(acc.value())).toBe(true);
  });
});
