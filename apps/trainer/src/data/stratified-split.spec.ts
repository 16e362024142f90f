import { describe, it, expect } from 'vitest';
import { DatasetError } from './dataset-types.ts';
import { stratifiedSplit, stratifiedSubset, subsetSize } from './stratified-split.ts';

const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2));
const countOf = (idx: Int32Array, c: number): number => Array.from(idx).filter((i) => labels[i] === c).length;

describe('stratified split and subsets', () => {
  it('splits each class by the test fraction, disjoint, ascending, deterministic', () => {
    const a = stratifiedSplit(labels, 0.2);
    expect([countOf(a.test, 0), countOf(a.test, 1), countOf(a.test, 2)]).toEqual([140, 40, 20]);
    expect(a.train.length + a.test.length).toBe(1000);
    const inTest = new Set(a.test);
    expect(Array.from(a.train).some((i) => inTest.has(i))).toBe(false);
    expect(Array.from(a.train)).toEqual(Array.from(a.train).sort((x, y) => x - y));
    expect(Array.from(stratifiedSplit(labels, 0.2).test)).toEqual(Array.from(a.test));
    expect(Array.from(stratifiedSplit(labels, 0.2, 5).test)).not.toEqual(Array.from(a.test));
  });

  it('keeps class proportions in a subset and depends on the seed', () => {
    const all = Int32Array.from({ length: 1000 }, (_, i) => i);
    const s = stratifiedSubset(labels, all, 100, 1);
    expect([countOf(s, 0), countOf(s, 1), countOf(s, 2)]).toEqual([70, 20, 10]);
    expect(Array.from(stratifiedSubset(labels, all, 100, 2))).not.toEqual(Array.from(s));
    expect(stratifiedSubset(labels, all, 5000, 1)).toBe(all);
  });

  it('computes subset sizes from fraction and cap, and rejects bad values', () => {
    expect(subsetSize(60000, 0.1, undefined, 'maxTrain')).toBe(6000);
    expect(subsetSize(60000, 0.1, 5000, 'maxTrain')).toBe(5000);
    expect(subsetSize(60000, undefined, undefined, 'maxTrain')).toBe(60000);
    expect(() => subsetSize(10, 1.5, undefined, 'maxTrain')).toThrow(DatasetError);
    expect(() => subsetSize(10, undefined, 0, 'maxTest')).toThrow(/maxTest: 0/);
    expect(() => stratifiedSplit(labels, 1)).toThrow(/testFraction: 1/);
  });

  it('apportions uneven classes by largest remainder and keeps singleton classes in train', () => {
    const uneven = Int32Array.from([0, 0, 0, 1, 1, 2]);
    const all = Int32Array.from({ length: 6 }, (_, i) => i);
    const s = stratifiedSubset(uneven, all, 3, 0);
    expect(Array.from(s).map((i) => uneven[i]).sort()).toEqual([0, 0, 1]);
    const split = stratifiedSplit(uneven, 0.4);
    expect(Array.from(split.test).map((i) => uneven[i]).sort()).toEqual([0, 1]);
    expect(Array.from(split.train).map((i) => uneven[i]).sort()).toEqual([0, 0, 1, 2]);
  });
});
