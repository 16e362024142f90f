import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, it, expect } from 'vitest';
import { createRng } from '../util/rng.ts';
import { warpImages, warpTable, type FillMode } from './geometric-warp.ts';
import { cropTransform, drawCrop } from './view-params.ts';

describe('warpImages', () => {
  it('matches the wasm tf.image.transform kernel for per-sample crops, flips and rotations (constant and nearest fill)', async () => {
    expect(await tf.setBackend('wasm')).toBe(true);
    const rng = createRng(4);
    const [n, h, w, c] = [5, 9, 7, 3];
    const x = tf.tensor4d(Float32Array.from({ length: n * h * w * c }, () => rng.next()), [n, h, w, c]);
    const transforms = new Float32Array(n * 8);
    for (let i = 0; i < n; i++) {
      const crop = drawCrop(rng, w, h, [0.3, 1], 0.3);
      transforms.set(cropTransform(crop, i % 2 === 1, rng.uniform(-0.6, 0.6), w, h), i * 8);
    }
    for (const mode of ['constant', 'nearest'] as FillMode[]) {
      const ours = warpImages(x, transforms, mode).dataSync();
      const reference = tf.image.transform(x, tf.tensor2d(transforms, [n, 8]), 'bilinear', mode, 0).dataSync();
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
      expect(worst).toBeLessThan(1e-5);
    }
  });

  it('reflects integer positions outside the image with the edge pixel repeated (d c b a | a b c d)', async () => {
    await tf.setBackend('cpu');
    const row = tf.tensor4d([10, 20, 30, 40], [1, 1, 4, 1]);
    const left = warpImages(row, Float32Array.from([1, 0, -2, 0, 1, 0, 0, 0]), 'reflect').dataSync();
    expect(Array.from(left)).toEqual([20, 10, 10, 20]);
    const right = warpImages(row, Float32Array.from([1, 0, 3, 0, 1, 0, 0, 0]), 'reflect').dataSync();
    expect(Array.from(right)).toEqual([40, 40, 30, 20]);
  });

  it('gives the identity for the identity transform and weights summing to 1 inside the image', () => {
    const identity = Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0]);
    const table = warpTable(identity, 1, 3, 3, 'constant');
    for (let p = 0; p < 9; p++) {
      expect(table.index[0][p]).toBe(p);
      expect(table.weight[0][p]).toBe(1);
    }
    const shifted = warpTable(Float32Array.from([1, 0, 0.25, 0, 1, 0.5, 0, 0]), 1, 4, 4, 'nearest');
    for (let p = 0; p < 16; p++) expect(shifted.weight.reduce((a, wt) => a + wt[p], 0)).toBeCloseTo(1, 6);
  });
});
