import { describe, it, expect } from 'vitest';
import { buildPlan, chunkBounds, seenMask } from './regime-plan.ts';
import { resolveRegimeOptions, type RegimeOptions } from './regime-options.ts';

const options = (o: Partial<RegimeOptions>) => resolveRegimeOptions({ regime: 'continual', numTrain: 100, batchSize: 10, totalSteps: 50, chunks: 4, seed: 3, ...o });

describe('regime plan', () => {
  it('cuts sizes into near-equal consecutive chunks', () => {
    expect(chunkBounds(10, 3)).toEqual([0, 3, 7, 10]);
    expect(chunkBounds(100, 4)).toEqual([0, 25, 50, 75, 100]);
  });

  it('covers [0, totalSteps) with contiguous segments whose step shares follow the chunk sizes', () => {
    for (const regime of ['iid', 'continual', 'cumulative', 'last', 'hybrid'] as const) {
      const plan = buildPlan(options({ regime, numTrain: 103 }), []);
      expect(plan[0].start).toBe(0);
      expect(plan[plan.length - 1].end).toBe(50);
      for (let k = 1; k < plan.length; k++) expect(plan[k].start).toBe(plan[k - 1].end);
    }
    const plan = buildPlan(options({ numTrain: 103 }), []);
    expect(plan.map((s) => s.pool.length)).toEqual([26, 26, 25, 26]);
    expect(plan.map((s) => s.end - s.start)).toEqual([13, 12, 12, 13]);
  });

  it("follows the paper authors' definitions when chunks = epochs of the budget: one new chunk per epoch, `last` at full compute", () => {
    // 10,000 images, batch 64, 16 epochs of compute (2,500 steps), 16 chunks: each chunk gets one epoch's
    // worth of steps (about 156 steps = 16 passes over its 625 images)
    const epochs = 16;
    const continual = buildPlan(options({ numTrain: 10000, batchSize: 64, totalSteps: (epochs * 10000) / 64, chunks: epochs }), []);
    expect(continual).toHaveLength(16);
    for (const segment of continual) {
      expect(segment.pool.length).toBe(625);
      expect(segment.end - segment.start).toBeCloseTo(10000 / 64, -1);
      expect(((segment.end - segment.start) * 64) / segment.pool.length).toBeCloseTo(16, 0);
    }
    expect(new Set(continual.flatMap((s) => Array.from(s.pool))).size).toBe(10000);
    // `last`: the whole budget on the subset, whatever its size (compute fixed per full-set epoch)
    for (const lastFraction of [0.01, 0.1]) {
      const [last] = buildPlan(options({ regime: 'last', numTrain: 10000, batchSize: 64, totalSteps: 600, lastFraction }), []);
      expect([last.start, last.end, last.pool.length]).toEqual([0, 600, 10000 * lastFraction]);
    }
  });

  it("uses the dataset order for streamOrder 'given' (chunk k = consecutive indices)", () => {
    const plan = buildPlan(options({ streamOrder: 'given' }), []);
    expect(Array.from(plan[1].pool)).toEqual(Array.from({ length: 25 }, (_, i) => 25 + i));
    const cumulative = buildPlan(options({ regime: 'cumulative', streamOrder: 'given' }), []);
    expect(Array.from(cumulative[2].pool)).toEqual(Array.from({ length: 75 }, (_, i) => i));
    const last = buildPlan(options({ regime: 'last', streamOrder: 'given', lastFraction: 0.1 }), []);
    expect(Array.from(last[0].pool)).toEqual(Array.from({ length: 10 }, (_, i) => 90 + i));
  });

  it('skips chunks that get no steps when the budget is smaller than the number of chunks', () => {
    const plan = buildPlan(options({ totalSteps: 2 }), []);
    expect(plan.length).toBe(2);
    expect(plan.map((s) => s.chunk)).toEqual([0, 2]); // step bounds round(2 * k / 4) = 0, 1, 1, 2, 2
  });

  it('marks as seen exactly the examples of the steps before a given step', () => {
    const o = options({ regime: 'iid' });
    const plan = buildPlan(o, []);
    const mask = seenMask(o, plan, 3);
    expect(mask.reduce((a, b) => a + b, 0)).toBe(30);
    expect(seenMask(o, plan, 10).reduce((a, b) => a + b, 0)).toBe(100);
    expect(seenMask(o, plan, 0).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it("drops a hybrid's planned switch when a live switch comes first", () => {
    const o = options({ regime: 'hybrid', hybridSwitchFraction: 0.5 });
    expect(buildPlan(o, []).some((s) => s.phase === 'iid' && s.start === 25)).toBe(true);
    const switched = buildPlan(o, [{ regime: 'iid', atStep: 10 }]);
    expect(switched.filter((s) => s.phase === 'iid').map((s) => [s.start, s.end])).toEqual([[10, 50]]);
  });
});
