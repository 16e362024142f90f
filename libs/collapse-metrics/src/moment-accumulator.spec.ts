import { describe, it, expect } from 'vitest';
import { CollapseMetricsError } from './collapse-metrics-error.ts';
import { createMomentAccumulator, momentAccumulatorFromState } from './moment-accumulator.ts';
import type { MomentAccumulatorState } from './moment-accumulator-state.ts';
import { singularValues } from './singular-values.ts';
import { centredCopy, jacobiSingularValues, worstSpectrumError } from './testing/jacobi-svd.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

const n = 301;
const d = 19;
// A large common offset and unequal column scales: the case where naive sums of squares fail.
const x = gaussianMatrix(n, d, 7).map((v, k) => 1e5 + v * (1 + (k % d)));

function rows(from: number, to: number): Float64Array {
  return x.subarray(from * d, to * d);
}

function bruteScatter(data: Float64Array, count: number): Float64Array {
  const c = centredCopy(data, count, d);
  const s = new Float64Array(d * d);
  for (let r = 0; r < count; r++) {
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s[i * d + j] += c[r * d + i] * c[r * d + j];
  }
  return s;
}

function maxRel(a: Float64Array, b: Float64Array): number {
  let scale = 0;
  for (const v of b) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / scale);
  return worst;
}

describe('MomentAccumulator', () => {
  it('accumulating in uneven chunks equals the batch pipeline and brute force', () => {
    const acc = createMomentAccumulator({ dim: d });
    const cuts = [0, 1, 2, 70, 71, 200, n];
    for (let k = 1; k < cuts.length; k++) acc.add(rows(cuts[k - 1], cuts[k]), cuts[k] - cuts[k - 1]);
    expect(acc.count).toBe(n);
    expect(acc.rowsSeen).toBe(n);
    expect(maxRel(acc.scatter(), bruteScatter(x, n))).toBeLessThan(1e-12);
    const mean = acc.mean();
    for (let c = 0; c < d; c++) {
      let s = 0;
      for (let r = 0; r < n; r++) s += x[r * d + c];
      expect(Math.abs(mean[c] - s / n)).toBeLessThan(1e-9);
    }
    const batch = singularValues(x, n, d);
    expect(worstSpectrumError(acc.singularValues(), batch, 1e-11, 1e-9)).toBeLessThan(1);
    const ref = jacobiSingularValues(centredCopy(x, n, d), n, d);
    expect(worstSpectrumError(acc.singularValues(), ref, 1e-11, 1e-8)).toBeLessThan(1);
  });

  it('merging per-worker accumulators equals accumulating everything in one', () => {
    const all = createMomentAccumulator({ dim: d });
    all.add(x, n);
    const a = createMomentAccumulator({ dim: d });
    const b = createMomentAccumulator({ dim: d });
    const c = createMomentAccumulator({ dim: d });
    a.add(rows(0, 50), 50);
    b.add(rows(50, 120), 70);
    b.add(rows(120, 260), 140);
    c.add(rows(260, n), n - 260);
    a.merge(b);
    a.merge(c);
    a.merge(createMomentAccumulator({ dim: d }));
    expect(a.count).toBe(n);
    expect(maxRel(a.scatter(), all.scatter())).toBeLessThan(1e-12);
    expect(worstSpectrumError(a.singularValues(), all.singularValues(), 1e-11, 1e-9)).toBeLessThan(1);
    expect(c.count).toBe(n - 260);
  });

  it('normalises rows when asked, like the batch pipeline', () => {
    const acc = createMomentAccumulator({ dim: d, normalize: true });
    acc.add(rows(0, 100), 100);
    acc.add(rows(100, n), n - 100);
    const batch = singularValues(x, n, d, { normalize: true });
    expect(worstSpectrumError(acc.singularValues(), batch, 1e-10, 1e-9)).toBeLessThan(1);
    expect(() => acc.merge(createMomentAccumulator({ dim: d }))).toThrow(/normalize=false into normalize=true/);
  });

  it('decays old rows: equals the brute-force weighted scatter', () => {
    const decay = 0.5;
    const acc = createMomentAccumulator({ dim: d, decay });
    acc.add(rows(0, 100), 100);
    acc.add(rows(100, 200), 100);
    acc.add(rows(200, n), n - 200);
    const weights = new Float64Array(n).map((_, r) => (r < 100 ? 0.25 : r < 200 ? 0.5 : 1));
    const wsum = weights.reduce((p, v) => p + v, 0);
    expect(acc.count).toBeCloseTo(wsum, 12);
    const mean = new Float64Array(d);
    for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += (weights[r] * x[r * d + c]) / wsum;
    const want = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < d; i++) {
        for (let j = 0; j < d; j++) want[i * d + j] += weights[r] * (x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j]);
      }
    }
    expect(maxRel(acc.scatter(), want)).toBeLessThan(1e-10);
    expect(acc.rowsSeen).toBe(n);
  });

  it('round-trips through JSON exactly and continues where it stopped', () => {
    const acc = createMomentAccumulator({ dim: d, decay: 0.9 });
    acc.add(rows(0, 150), 150);
    const restored = momentAccumulatorFromState(JSON.parse(JSON.stringify(acc)) as MomentAccumulatorState);
    expect(Array.from(restored.scatter())).toEqual(Array.from(acc.scatter()));
    expect(Array.from(restored.mean())).toEqual(Array.from(acc.mean()));
    acc.add(rows(150, n), n - 150);
    restored.add(rows(150, n), n - 150);
    expect(Array.from(restored.singularValues())).toEqual(Array.from(acc.singularValues()));
    expect(restored.count).toBe(acc.count);
  });

  it('rejects bad options, bad rows and malformed states, leaving the state unchanged', () => {
    expect(() => createMomentAccumulator({ dim: 0 })).toThrow(/dim must be a positive integer, got 0/);
    expect(() => createMomentAccumulator({ dim: 3, decay: 1.5 })).toThrow(/decay must be in \(0, 1\], got 1.5/);
    const acc = createMomentAccumulator({ dim: 3 });
    acc.add(Float32Array.from([1, 2, 3, 4, 5, 6]), 2);
    const bad = Float32Array.from([1, 2, 3, 4, Number.NaN, 6]);
    // The row number counts from the start of the stream: rows 0-1 came before.
    expect(() => acc.add(bad, 2)).toThrow(/row 3, column 1 is NaN/);
    expect(acc.count).toBe(2);
    expect(() => acc.add(bad, 3)).toThrow(/not n \* d = 3 \* 3 = 9/);
    expect(() => acc.merge(createMomentAccumulator({ dim: 4 }))).toThrow(/dim 4 into dim 3/);
    const one = createMomentAccumulator({ dim: 3 });
    one.add(Float32Array.from([1, 2, 3]), 1);
    expect(() => one.singularValues()).toThrow(CollapseMetricsError);
    const state = acc.toJSON();
    expect(() => momentAccumulatorFromState({ ...state, scatter: [1, 2] })).toThrow(/state.scatter must be an array of length 6/);
    expect(() => momentAccumulatorFromState({ ...state, mean: [0, Number.NaN, 0] })).toThrow(/state.mean\[1\]/);
    expect(() => momentAccumulatorFromState({ ...state, decay: 0 })).toThrow(/state.decay/);
  });
});
