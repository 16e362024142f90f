import { describe, expect, it } from 'vitest';
import { groupConformalQuantile, groupFolds, groupedCvResiduals, selectLambda } from './grouped-cv.ts';
import { fitRidgeAt, predictRidge } from './ridge-regression.ts';
import { createRandom } from './random.ts';

/** Rows with a shared effect per group: y = 2 x0 - x1 + u_group + e, u ~ N(0, 0.5), e ~ N(0, 0.3). */
function groupedData(groups: number, perGroup: number, seed: number) {
  const random = createRandom(seed);
  const x: number[][] = [];
  const y: number[] = [];
  const g: string[] = [];
  for (let k = 0; k < groups; k++) {
    const u = 0.5 * random.normal();
    for (let r = 0; r < perGroup; r++) {
      const row = [random.normal(), random.normal(), random.normal()];
      x.push(row);
      y.push(2 * row[0] - row[1] + u + 0.3 * random.normal());
      g.push(`s${seed}-${k}`);
    }
  }
  return { x, y, g };
}

describe('groupFolds', () => {
  it('keeps every group in one fold and uses min(k, groups) folds', () => {
    const groups = ['a', 'a', 'b', 'c', 'c', 'c', 'd'];
    const folds = groupFolds(groups, 3, 1);
    expect(new Set(folds).size).toBe(3);
    groups.forEach((g, i) => groups.forEach((h, j) => g === h && expect(folds[i]).toBe(folds[j])));
    expect(new Set(groupFolds(['a', 'b'], 10)).size).toBe(2);
    expect(() => groupFolds(['a', 'a'], 5)).toThrow(/at least 2 groups, got 1/);
    expect(() => groupFolds(['a', 'b'], 1)).toThrow(/folds must be an integer >= 2, got 1/);
  });
});

describe('groupConformalQuantile', () => {
  it('weighs each group once: a hand-checked example', () => {
    // groups A (scores 1, 3: weight 1/2 each), B (2), C (5); G = 3
    const scores = [1, 3, 2, 5];
    const groups = ['A', 'A', 'B', 'C'];
    expect(groupConformalQuantile(scores, groups, 0.5)).toBe(3); // ceil(4 x 0.5) = 2: 0.5 + 1 + 0.5 reaches 2 at score 3
    expect(groupConformalQuantile(scores, groups, 0.74)).toBe(5); // ceil(2.96) = 3
    expect(groupConformalQuantile(scores, groups, 0.8)).toBe(Number.POSITIVE_INFINITY); // ceil(3.2) = 4 > 3 groups
    // with one row per group it is the plain split-conformal quantile
    expect(groupConformalQuantile([4, 1, 3, 2], ['a', 'b', 'c', 'd'], 0.6)).toBe(3);
  });
});

describe('grouped cross-conformal intervals', () => {
  it('cover runs of new groups at about the nominal level on exchangeable grouped data', () => {
    const lambdas = [0.1, 1, 10];
    let covered = 0;
    let total = 0;
    for (let trial = 0; trial < 5; trial++) {
      const train = groupedData(40, 3, 100 + trial);
      const residuals = groupedCvResiduals(train.x, train.y, train.g, lambdas, 10, trial);
      expect(residuals.every(Number.isFinite)).toBe(true);
      const half = groupConformalQuantile(residuals.map(Math.abs), train.g, 0.9);
      const model = fitRidgeAt(train.x, train.y, selectLambda(train.x, train.y, train.g, lambdas));
      const test = groupedData(400, 1, 900 + trial);
      test.x.forEach((row, i) => {
        total += 1;
        if (Math.abs(test.y[i] - predictRidge(model, row)) <= half) covered += 1;
      });
    }
    expect(covered / total).toBeGreaterThan(0.84);
    expect(covered / total).toBeLessThan(0.97);
  });

  it('selectLambda prefers a small penalty for a clean signal and a large one for noise', () => {
    const clean = groupedData(30, 2, 7);
    expect(selectLambda(clean.x, clean.y, clean.g, [0.01, 1000])).toBe(0.01);
    // pure noise on 12 noise features, 40 rows: any fit is overfitting
    const random = createRandom(8);
    const x = clean.x.slice(0, 40).map(() => Array.from({ length: 12 }, () => random.normal()));
    const y = x.map(() => random.normal());
    expect(selectLambda(x, y, clean.g.slice(0, 40), [0.01, 1000])).toBe(1000);
  });
});
