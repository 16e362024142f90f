import * as tf from '@tensorflow/tfjs';
import { describe, it, expect } from 'vitest';
import { createRng } from '../util/rng.ts';
import { blurRadius, gaussianBlur, gaussianTaps } from './gaussian-blur.ts';

/** Direct separable blur of one h x w x c image with reflect borders (d c b | a b c d). */
function reference(img: Float32Array, h: number, w: number, c: number, sigma: number, radius: number): Float32Array {
  const taps = gaussianTaps(sigma, radius);
  const reflect = (k: number, size: number): number => (k < 0 ? -k : k >= size ? 2 * size - 2 - k : k);
  const tmp = new Float32Array(img.length);
  const out = new Float32Array(img.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++)
        for (let t = -radius; t <= radius; t++) tmp[(y * w + x) * c + ch] += taps[t + radius] * img[(y * w + reflect(x + t, w)) * c + ch];
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++)
        for (let t = -radius; t <= radius; t++) out[(y * w + x) * c + ch] += taps[t + radius] * tmp[(reflect(y + t, h) * w + x) * c + ch];
  return out;
}

describe('gaussianBlur', () => {
  it('blurs each sample with its own sigma (0 = unchanged), matching a direct separable filter, for 1 and 3 channels', async () => {
    await tf.setBackend('cpu');
    for (const c of [1, 3]) {
      const [n, h, w] = [3, 9, 7];
      const rng = createRng(c);
      const data = Float32Array.from({ length: n * h * w * c }, () => rng.next());
      const sigmas = Float32Array.from([0, 0.7, 1.5]);
      const out = gaussianBlur(tf.tensor4d(data, [n, h, w, c]), sigmas).dataSync();
      const radius = blurRadius(1.5, h, w);
      const size = h * w * c;
      for (let i = 0; i < n; i++) {
        const expected = reference(data.subarray(i * size, (i + 1) * size), h, w, c, sigmas[i], radius);
        for (let p = 0; p < size; p++) expect(out[i * size + p]).toBeCloseTo(expected[p], 5);
      }
    }
  });

  it('has normalised taps and a radius capped by the image size', () => {
    expect(gaussianTaps(1, 2).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(gaussianTaps(0, 2)).toEqual([0, 0, 1, 0, 0]);
    expect(blurRadius(2, 224, 224)).toBe(4);
    expect(blurRadius(2, 5, 5)).toBe(2);
  });
});
