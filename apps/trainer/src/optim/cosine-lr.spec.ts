import { describe, expect, it } from 'vitest';
import { cosineLr } from './cosine-lr.ts';
import { OptimizerOptionError } from './optim-errors.ts';

describe('cosineLr', () => {
  it('starts at base, halves at mid-training and decays to 0 (SimSiam schedule)', () => {
    expect(cosineLr({ base: 0.1, step: 0, totalSteps: 100 })).toBeCloseTo(0.1, 12);
    expect(cosineLr({ base: 0.1, step: 50, totalSteps: 100 })).toBeCloseTo(0.05, 12);
    expect(cosineLr({ base: 0.1, step: 99, totalSteps: 100 })).toBeCloseTo(0.1 * 0.5 * (1 + Math.cos(0.99 * Math.PI)), 12);
    expect(cosineLr({ base: 0.1, step: 100, totalSteps: 100 })).toBe(0);
  });

  it('is non-increasing after warm-up and rises linearly during it', () => {
    const lrs = Array.from({ length: 60 }, (_, step) => cosineLr({ base: 0.2, step, totalSteps: 60, warmupSteps: 10 }));
    expect(lrs[0]).toBeCloseTo(0.02, 12);
    expect(lrs[4]).toBeCloseTo(0.1, 12);
    expect(lrs[9]).toBeCloseTo(0.2, 12);
    expect(lrs[10]).toBeCloseTo(0.2, 12);
    for (let i = 11; i < lrs.length; i++) {
      expect(lrs[i]!).toBeLessThanOrEqual(lrs[i - 1]!);
    }
  });

  it('rejects bad options with a typed error naming the value', () => {
    expect(() => cosineLr({ base: -1, step: 0, totalSteps: 10 })).toThrow(OptimizerOptionError);
    expect(() => cosineLr({ base: 0.1, step: 0, totalSteps: 0 })).toThrow(/totalSteps=0/);
    expect(() => cosineLr({ base: 0.1, step: 1.5, totalSteps: 10 })).toThrow(/step=1.5/);
    expect(() => cosineLr({ base: 0.1, step: 0, totalSteps: 10, warmupSteps: 10 })).toThrow(/warmupSteps=10/);
  });
});
