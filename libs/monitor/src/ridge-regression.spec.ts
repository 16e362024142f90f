import { describe, expect, it } from 'vitest';
import { createRandom } from './random.ts';
import { fitRidge, predictRidge } from './ridge-regression.ts';

function dataset(n: number, seed: number) {
  const random = createRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = [random.normal() * 3 + 1, random.normal() * 0.1, random.normal()];
    x.push(row);
    y.push(0.5 + 0.2 * row[0] - 4 * row[1] + 0.01 * random.normal());
  }
  return { x, y };
}

describe('fitRidge', () => {
  it('recovers a linear relation with a small penalty', () => {
    const { x, y } = dataset(200, 3);
    const fit = fitRidge(x, y, [1e-6]);
    expect(predictRidge(fit, [2, 0.05, 7])).toBeCloseTo(0.5 + 0.4 - 0.2, 2);
    expect(fit.looRmse).toBeLessThan(0.02);
  });

  it('computes exact leave-one-out residuals (matches refitting without each row)', () => {
    const { x, y } = dataset(30, 5);
    const fit = fitRidge(x, y, [2]);
    for (const i of [0, 7, 29]) {
      const rest = fitRidge(x.filter((_, j) => j !== i), y.filter((_, j) => j !== i), [2]);
      // standardisation differs slightly without row i, so compare loosely
      expect(fit.looResiduals[i]).toBeCloseTo(y[i] - predictRidge(rest, x[i]), 1);
    }
  });

  it('picks the penalty with the smallest leave-one-out error and imputes missing features', () => {
    const { x, y } = dataset(60, 9);
    const fit = fitRidge(x, y, [1e4, 1e-3]);
    expect(fit.lambda).toBe(1e-3);
    expect(predictRidge(fit, [Number.NaN, Number.NaN, Number.NaN])).toBeCloseTo(fit.intercept, 12);
  });

  it('clamps features to the training range instead of extrapolating', () => {
    const { x, y } = dataset(60, 4);
    const fit = fitRidge(x, y, [1e-3]);
    const edge = predictRidge(fit, [Math.max(...x.map((r) => r[0])), 0, 0]);
    expect(predictRidge(fit, [1e6, 0, 0])).toBeCloseTo(edge, 12);
  });

  it('rejects too few rows with a typed error', () => {
    expect(() => fitRidge([[1], [2]], [1, 2], [1])).toThrow(/at least 3 rows/);
  });
});
