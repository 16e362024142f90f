import { describe, expect, it } from 'vitest';
import { createEmbeddingSampler } from './embedding-sampler.ts';
import { MonitorError } from './monitor-error.ts';
import { createRandom } from './random.ts';
import { resolveSamplingOptions } from './sampling-options.ts';
import { syntheticBatch } from './testing/synthetic-stream.ts';

const isotropic = { beta: 0, rank: 16, tail: 1, offset: 0, loss: -0.5 };
const collapsed = { beta: 0, rank: 1, tail: 1e-3, offset: 30, loss: -1 };

describe('reservoir sampling', () => {
  it('keeps at most capacity rows, uniformly over the batches since the last summary', () => {
    const sampler = createEmbeddingSampler('backbone', resolveSamplingOptions({ capacity: 200, seed: 5 }));
    for (let b = 0; b < 10; b++) sampler.add({ data: new Float32Array(100 * 2).fill(b), n: 100, d: 2 });
    const sample = sampler.sampleRows()!;
    expect(sample.n).toBe(200);
    const perBatch = new Array(10).fill(0);
    for (let r = 0; r < sample.n; r++) perBatch[sample.data[r * 2]] += 1;
    for (const count of perBatch) {
      expect(count).toBeGreaterThan(8);
      expect(count).toBeLessThan(34);
    }
  });

  it('measures a healthy and a collapsed stream, and restarts after each summary', () => {
    const random = createRandom(2);
    const sampler = createEmbeddingSampler('backbone', resolveSamplingOptions({ capacity: 512 }));
    for (let b = 0; b < 20; b++) sampler.add({ data: syntheticBatch(random, 64, 16, isotropic), n: 64, d: 16 });
    const healthy = sampler.summarize()!;
    expect(healthy.n).toBe(512);
    expect(healthy.rankme).toBeGreaterThan(14);
    expect(healthy.normalizedStd).toBeGreaterThan(0.9);
    expect(healthy.normalizedStd).toBeLessThan(1.1);
    expect(sampler.summarize()).toBeUndefined();
    for (let b = 0; b < 2; b++) sampler.add({ data: syntheticBatch(random, 64, 16, collapsed), n: 64, d: 16 });
    const bad = sampler.summarize()!;
    expect(bad.n).toBe(128);
    expect(bad.rankme).toBeLessThan(2);
    expect(bad.normalizedStd).toBeLessThan(0.05);
    expect(bad.auc).toBeGreaterThan(0.95);
  });

  it('rejects bad batches with typed errors naming the value', () => {
    const sampler = createEmbeddingSampler('backbone', resolveSamplingOptions());
    expect(() => sampler.add({ data: new Float32Array(5), n: 2, d: 3 })).toThrow(/backbone must be n x d with data.length = n \* d, got n=2 d=3 length=5/);
    expect(() => sampler.add({ data: [1, 2] as unknown as Float32Array, n: 1, d: 2 })).toThrow(MonitorError);
    sampler.add({ data: new Float32Array(6), n: 2, d: 3 });
    expect(() => sampler.add({ data: new Float32Array(4), n: 2, d: 2 })).toThrow(/backbone.d changed from 3 to 2/);
    const nan = new Float32Array(6);
    nan[4] = Number.NaN;
    expect(() => sampler.add({ data: nan, n: 2, d: 3 })).toThrow(/backbone row 1, column 1 is NaN/);
  });
});

describe('moment sampling', () => {
  it('agrees with the reservoir on a stationary stream', () => {
    const random = createRandom(8);
    const reservoir = createEmbeddingSampler('backbone', resolveSamplingOptions({ capacity: 2048 }));
    const moments = createEmbeddingSampler('backbone', resolveSamplingOptions({ mode: 'moments', decay: 0.99, rowsPerBatch: 64 }));
    const profile = { beta: 0.7, rank: 32, tail: 1, offset: 0.5, loss: -0.5 };
    for (let b = 0; b < 32; b++) {
      const batch = { data: syntheticBatch(random, 64, 32, profile), n: 64, d: 32 };
      reservoir.add(batch);
      moments.add(batch);
    }
    const a = reservoir.summarize()!;
    const b = moments.summarize()!;
    expect(moments.sampleRows()).toBeUndefined();
    expect(b.auc).toBeCloseTo(a.auc, 2);
    expect(Math.abs(b.rankme / a.rankme - 1)).toBeLessThan(0.03);
    expect(b.normalizedStd).toBeCloseTo(a.normalizedStd, 1);
  });

  it('forgets old batches through its decay', () => {
    const random = createRandom(9);
    const moments = createEmbeddingSampler('projector', resolveSamplingOptions({ mode: 'moments', decay: 0.7, rowsPerBatch: 32 }));
    for (let b = 0; b < 20; b++) moments.add({ data: syntheticBatch(random, 64, 16, isotropic), n: 64, d: 16 });
    expect(moments.summarize()!.rankme).toBeGreaterThan(14);
    for (let b = 0; b < 40; b++) moments.add({ data: syntheticBatch(random, 64, 16, collapsed), n: 64, d: 16 });
    const late = moments.summarize()!;
    expect(late.rankme).toBeLessThan(3);
    expect(late.normalizedStd).toBeLessThan(0.1);
  });

  it('validates sampling options', () => {
    expect(() => resolveSamplingOptions({ mode: 'all' as never })).toThrow(/sampling.mode must be "reservoir" or "moments", got "all"/);
    expect(() => resolveSamplingOptions({ capacity: 1 })).toThrow(/sampling.capacity must be a finite number in \[2, 1000000\], got 1/);
    expect(() => resolveSamplingOptions({ decay: 0 })).toThrow(/sampling.decay/);
  });
});
