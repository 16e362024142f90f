import { singularValues } from '@siamwatch/collapse-metrics';
import { describe, it, expect } from 'vitest';
import type { DatasetSplit } from './dataset-types.ts';
import { loadDataset } from './load-dataset.ts';

/** Accuracy of the nearest train class mean on the test split. */
function nearestMeanAccuracy(train: DatasetSplit, test: DatasetSplit, classes: number, d: number): number {
  const means = new Float64Array(classes * d);
  const counts = new Float64Array(classes);
  for (let i = 0; i < train.n; i++) {
    counts[train.y[i]]++;
    for (let p = 0; p < d; p++) means[train.y[i] * d + p] += train.x[i * d + p];
  }
  for (let c = 0; c < classes; c++) for (let p = 0; p < d; p++) means[c * d + p] /= counts[c];
  let correct = 0;
  for (let i = 0; i < test.n; i++) {
    let best = -1;
    let bestDist = Infinity;
    for (let c = 0; c < classes; c++) {
      let dist = 0;
      for (let p = 0; p < d; p++) dist += (test.x[i * d + p] - means[c * d + p]) ** 2;
      if (dist < bestDist) [best, bestDist] = [c, dist];
    }
    if (best === test.y[i]) correct++;
  }
  return correct / test.n;
}

describe('synthetic dataset', () => {
  it('is deterministic from the seed, balanced, in [0, 1], with the requested shape', async () => {
    const spec = { name: 'synthetic', seed: 3, imageSize: 10, synthetic: { n: 300, nTest: 100, numClasses: 3 } } as const;
    const a = await loadDataset(spec);
    const b = await loadDataset(spec);
    const c = await loadDataset({ ...spec, seed: 4 });
    expect(a.imageShape).toEqual([10, 10, 1]);
    expect([a.train.n, a.test.n, a.numClasses]).toEqual([300, 100, 3]);
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.train.x.subarray(0, 100))).not.toEqual(Array.from(c.train.x.subarray(0, 100)));
    expect(Array.from(a.train.y).filter((y) => y === 2).length).toBe(100);
    expect(Math.min(...a.train.x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a.train.x)).toBeLessThanOrEqual(1);
  });

  it('has exactly intrinsicDim non-zero singular values when clean (no noise, no clipping)', async () => {
    const d = await loadDataset({ name: 'synthetic', seed: 1, imageSize: 8, synthetic: { n: 400, nTest: 10, intrinsicDim: 5, noise: 0, pixelStd: 0.04 } });
    expect(d.synthetic).toEqual({ intrinsicDim: 5, classDim: 5 });
    const s = singularValues(d.train.x, 400, 64);
    expect(s[4] / s[0]).toBeGreaterThan(0.05);
    expect(s[5] / s[0]).toBeLessThan(1e-4);
  });

  it('separates classes by classSeparation: near-perfect when large, near chance when 0', async () => {
    const synthetic = { n: 1000, nTest: 500, numClasses: 5, intrinsicDim: 12, noise: 0.05 };
    const easy = await loadDataset({ name: 'synthetic', seed: 2, imageSize: 10, synthetic: { ...synthetic, classSeparation: 4 } });
    const none = await loadDataset({ name: 'synthetic', seed: 2, imageSize: 10, synthetic: { ...synthetic, classSeparation: 0 } });
    expect(nearestMeanAccuracy(easy.train, easy.test, 5, 100)).toBeGreaterThan(0.95);
    expect(nearestMeanAccuracy(none.train, none.test, 5, 100)).toBeLessThan(0.35);
  });

  it('rejects impossible options with DatasetError naming the field', async () => {
    await expect(loadDataset({ name: 'synthetic', seed: 0, imageSize: 4, synthetic: { intrinsicDim: 17 } })).rejects.toThrow(/synthetic\.intrinsicDim: 17 exceeds the 16 pixels/);
    await expect(loadDataset({ name: 'synthetic', seed: 0, synthetic: { intrinsicDim: 3, classDim: 4 } })).rejects.toThrow(/synthetic\.classDim: 4/);
    await expect(loadDataset({ name: 'synthetic', seed: 0, synthetic: { noise: -1 } })).rejects.toThrow(/synthetic\.noise: -1/);
  });
});
