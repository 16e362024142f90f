import { describe, expect, it } from 'vitest';
import type { HeldOutForecast } from './grouped-forecast-evaluation.ts';
import { seedNoiseFloor } from './seed-noise-floor.ts';

const row = (setting: string, seed: number, actual: number, point: number, extra: Partial<HeldOutForecast> = {}): HeldOutForecast => ({
  id: `${setting}--s${seed}`, setting, method: 'simsiam', progress: 0.5, point, low80: 0, high80: 1, low90: 0, high90: 1, actual, constant: 0.7, aucOnly: 0.7, scored: true, ...extra,
});

describe('seedNoiseFloor', () => {
  it('forecasts each run by the mean of its setting\'s other seeds, and scores the forecast on the same runs', () => {
    const rows = [
      row('a', 0, 0.7, 0.7), row('a', 1, 0.74, 0.7), row('a', 2, 0.72, 0.7),
      row('b', 0, 0.8, 0.75), row('b', 1, 0.84, 0.75),
      row('c', 0, 0.5, 0.5), // one seed: no floor, left out of both
      row('d', 0, 0.6, 0.6, { scored: false }), row('d', 1, 0.6, 0.6, { scored: false }),
      row('a', 0, 0.7, 0.1, { progress: 0.25 }),
    ];
    const f = seedNoiseFloor(rows, 0.5);
    expect([f.runs, f.settings]).toEqual([5, 2]);
    // a: |0.7 - 0.73| + |0.74 - 0.71| + |0.72 - 0.72| = 0.06; b: 0.04 + 0.04
    expect(f.mae).toBeCloseTo((100 * (0.06 + 0.08)) / 5, 9);
    expect(f.forecastMae).toBeCloseTo((100 * (0 + 0.04 + 0.02 + 0.05 + 0.09)) / 5, 9);
    // floor ranks [3, 1, 2, 5, 4] vs actual ranks [1, 3, 2, 4, 5]: sum d^2 = 10, rho = 1 - 60 / 120
    expect(f.spearman).toBeCloseTo(0.5, 12);
  });

  it('is NaN without a setting of two seeds', () => {
    expect(Number.isNaN(seedNoiseFloor([row('a', 0, 0.7, 0.7)], 0.5).mae)).toBe(true);
  });
});
