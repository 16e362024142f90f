import { MonitorError, describeValue } from './monitor-error.ts';
import { createRandom } from './random.ts';
import { fitRidgeAt, predictRidge } from './ridge-regression.ts';

/**
 * Grouped cross-validation for the forecast calibration: the rows of one group (all seeds of one training
 * setting) always fall in the same fold, so a model is never scored on a sibling seed of a run it was fitted on.
 */

/**
 * The fold (0..k-1) of every row: the distinct groups are shuffled with `seed` and dealt round-robin into
 * `min(k, groups)` folds. Throws `MonitorError('insufficient-data')` with fewer than 2 groups.
 */
export function groupFolds(groups: readonly string[], k: number, seed = 0): number[] {
  const distinct = [...new Set(groups)].sort();
  if (distinct.length < 2) throw new MonitorError('insufficient-data', `grouped cross-validation needs at least 2 groups, got ${distinct.length}`);
  if (!Number.isSafeInteger(k) || k < 2) throw new MonitorError('invalid-option', `folds must be an integer >= 2, got ${describeValue(k)}`);
  const random = createRandom(seed);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [distinct[i], distinct[j]] = [distinct[j], distinct[i]];
  }
  const folds = Math.min(k, distinct.length);
  const foldOf = new Map(distinct.map((g, i) => [g, i % folds]));
  return groups.map((g) => foldOf.get(g) as number);
}

function subset<T>(values: readonly T[], keep: readonly boolean[]): T[] {
  return values.filter((_, i) => keep[i]);
}

/** Out-of-fold predictions of a ridge regression with penalty `lambda` (each fold fitted, standardised, on the others). */
export function outOfFoldPredictions(x: readonly (readonly number[])[], y: readonly number[], folds: readonly number[], lambda: number): number[] {
  const predictions = new Array<number>(y.length).fill(Number.NaN);
  for (const fold of new Set(folds)) {
    const train = folds.map((f) => f !== fold);
    const model = fitRidgeAt(subset(x, train), subset(y, train), lambda);
    folds.forEach((f, i) => {
      if (f === fold) predictions[i] = predictRidge(model, x[i]);
    });
  }
  return predictions;
}

/** The penalty of `lambdas` with the smallest grouped-CV mean squared error (`k` folds by group). */
export function selectLambda(x: readonly (readonly number[])[], y: readonly number[], groups: readonly string[], lambdas: readonly number[], k = 5, seed = 0): number {
  if (lambdas.length === 0) throw new MonitorError('invalid-option', 'lambdas must not be empty, got []');
  const folds = groupFolds(groups, k, seed);
  let best = lambdas[0];
  let bestMse = Number.POSITIVE_INFINITY;
  for (const lambda of lambdas) {
    const p = outOfFoldPredictions(x, y, folds, lambda);
    const mse = p.reduce((s, v, i) => s + (y[i] - v) ** 2, 0) / y.length;
    if (mse < bestMse) {
      best = lambda;
      bestMse = mse;
    }
  }
  return best;
}

/**
 * Cross-conformal residuals by group: for each of `k` folds (by group), the penalty is chosen by an inner
 * grouped CV on the other folds only, the ridge is fitted (and standardised) on them, and the fold's rows are
 * predicted. Returns `y - prediction` per row: residuals of models that never saw the row's setting.
 */
export function groupedCvResiduals(
  x: readonly (readonly number[])[], y: readonly number[], groups: readonly string[], lambdas: readonly number[], k = 10, seed = 0,
): number[] {
  const folds = groupFolds(groups, k, seed);
  const residuals = new Array<number>(y.length).fill(Number.NaN);
  for (const fold of new Set(folds)) {
    const train = folds.map((f) => f !== fold);
    const tx = subset(x, train);
    const ty = subset(y, train);
    const tg = subset(groups, train);
    const lambda = new Set(tg).size >= 2 ? selectLambda(tx, ty, tg, lambdas, 5, seed + 1) : lambdas[0];
    const model = fitRidgeAt(tx, ty, lambda);
    folds.forEach((f, i) => {
      if (f === fold) residuals[i] = y[i] - predictRidge(model, x[i]);
    });
  }
  return residuals;
}

/**
 * The conformal quantile of `scores` when the exchangeable units are groups (Dunn, Wasserman & Ramdas 2022,
 * pooled with weights): each row weighs `1 / (rows of its group)`, so every group counts once, and the
 * quantile is taken at level `ceil((G + 1) level) / G` of the G groups' total weight. Infinity when G is too
 * small for the level.
 */
export function groupConformalQuantile(scores: readonly number[], groups: readonly string[], level: number): number {
  if (scores.length !== groups.length) throw new MonitorError('invalid-option', `scores (${scores.length}) and groups (${groups.length}) must have the same length`);
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const g = sizes.size;
  const target = Math.ceil((g + 1) * level);
  if (target > g) return Number.POSITIVE_INFINITY;
  const rows = scores.map((s, i) => ({ s, w: 1 / (sizes.get(groups[i]) as number) })).sort((a, b) => a.s - b.s);
  let cumulative = 0;
  for (const row of rows) {
    cumulative += row.w;
    if (cumulative >= target - 1e-9) return row.s;
  }
  return rows[rows.length - 1].s;
}
