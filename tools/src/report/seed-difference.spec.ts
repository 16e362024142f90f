import { describe, expect, it } from 'vitest';
import { seedDifference } from './findings.ts';
import type { StudyRun } from './study-runs.ts';

/** A study run reduced to what `seedDifference` reads: its seed, its step-0 AUC and a final value. */
function run(seed: number, initAuc: number, trainAuc: number): StudyRun {
  return { seed, trainAuc, evaluations: [[0, 0.5, initAuc, initAuc, initAuc]] } as unknown as StudyRun;
}

describe('seedDifference', () => {
  // each seed starts elsewhere (0.70 .. 0.85); the variant ends 0.01 above its own seed's baseline
  const inits = [0.7, 0.75, 0.8, 0.85];
  const base = inits.map((a, seed) => run(seed, a, a + 0.002 * (seed % 2)));
  const variant = inits.map((a, seed) => run(seed, a, a + 0.01 + 0.002 * ((seed + 1) % 2)));

  it('pairs by seed when the runs of a seed share their random backbone, so the initial spread cancels', () => {
    const e = seedDifference(base, variant, (r) => r.trainAuc);
    expect(e.test).toMatch(/^paired t interval .*4 pairs, df 3/);
    expect(e.effect).toBeCloseTo(0.01, 12);
    expect(e.low).toBeGreaterThan(0);
  });

  it('falls back to Welch over all runs when the initial states differ (another architecture), and the shift is lost in the spread', () => {
    const other = variant.map((r, seed) => run(seed, inits[seed] + 0.01, r.trainAuc));
    const e = seedDifference(base, other, (r) => r.trainAuc);
    expect(e.test).toMatch(/^Welch/);
    expect(e.effect).toBeCloseTo(0.01, 12);
    expect(e.low).toBeLessThan(0);
  });

  it('uses Welch when fewer than two seeds are common', () => {
    expect(seedDifference(base.slice(0, 2), variant.slice(1, 3), (r) => r.trainAuc).test).toMatch(/^Welch/);
  });
});
