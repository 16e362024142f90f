import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it, expect } from 'vitest';
import { createRng } from '../util/rng.ts';
import { AugmentError, NATURAL_AUGMENT } from './augment-options.ts';
import { createAugmenter } from './create-augmenter.ts';
import { cropTransform, drawViewParams } from './view-params.ts';

/** An 8x8 one-channel image whose pixel value is its column / 8 (row r adds r / 100), all in [0, 1). */
function ramp(n = 1): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from({ length: n * 64 }, (_, i) => (i % 8) / 8 + Math.floor((i % 64) / 8) / 100), [n, 8, 8, 1]);
}

const still = { cropScale: [1, 1] as [number, number], cropLogRatio: 0, rotationDegrees: 0, jitterProbability: 0, noiseStd: 0 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('createAugmenter', () => {
  it('returns two views of the input shape in [0, 1], different from each other, without leaking tensors', () => {
    const aug = createAugmenter({}, [8, 8, 1]);
    const x = ramp(4);
    const before = tf.memory().numTensors;
    const [a, b] = aug.pair(x, createRng(1));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(a.shape).toEqual([4, 8, 8, 1]);
    expect(b.shape).toEqual([4, 8, 8, 1]);
    const va = a.dataSync();
    expect(Math.min(...va)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...va)).toBeLessThanOrEqual(1);
    expect(Array.from(va)).not.toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('is deterministic for a given Rng state and continues identically after restoring it', () => {
    const aug = createAugmenter(NATURAL_AUGMENT, [8, 8, 3]);
    const x = tf.tile(ramp(2), [1, 1, 1, 3]) as tf.Tensor4D;
    const rng = createRng(5);
    aug.view(x, rng);
    const state = rng.getState();
    const [a1, a2] = aug.pair(x, rng);
    const resumed = createRng(0);
    resumed.setState(state);
    const [b1, b2] = aug.pair(x, resumed);
    expect(Array.from(b1.dataSync())).toEqual(Array.from(a1.dataSync()));
    expect(Array.from(b2.dataSync())).toEqual(Array.from(a2.dataSync()));
  });

  it('crops the box it draws: output column j samples input x = x0 + (j + 0.5) * width / 8 - 0.5', () => {
    const aug = createAugmenter(still, [8, 8, 1]);
    const params = drawViewParams(createRng(0), 1, 8, 8, 1, aug.options);
    params.transforms.set(cropTransform({ x0: 2, y0: 0, width: 4, height: 8 }, false, 0, 8, 8));
    const out = aug.applyParams(ramp(), params).dataSync();
    for (let j = 0; j < 8; j++) {
      const x = Math.max(0, 2 + (j + 0.5) * 0.5 - 0.5);
      expect(out[3 * 8 + j]).toBeCloseTo(x / 8 + 0.03, 5);
    }
  });

  it('flips horizontally with flipProbability 1 and leaves the image alone otherwise', () => {
    const x = ramp();
    const flipped = createAugmenter({ ...still, flipProbability: 1 }, [8, 8, 1]).view(x, createRng(0));
    expect(Array.from(flipped.dataSync())).toEqual(Array.from(tf.reverse(x, 2).dataSync()));
    const same = createAugmenter(still, [8, 8, 1]).view(x, createRng(0));
    expect(Array.from(same.dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it('rotates about the centre: 90 degrees maps output (x, y) to input (W - 1 - y, x)', () => {
    const aug = createAugmenter(still, [8, 8, 1]);
    const params = drawViewParams(createRng(0), 1, 8, 8, 1, aug.options);
    params.transforms.set(cropTransform({ x0: 0, y0: 0, width: 8, height: 8 }, false, Math.PI / 2, 8, 8));
    const input = ramp().dataSync();
    const out = aug.applyParams(ramp(), params).dataSync();
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(out[y * 8 + x]).toBeCloseTo(input[x * 8 + (7 - y)], 5);
  });

  it('applies brightness, contrast, blur and noise with the drawn per-sample strengths', () => {
    const aug = createAugmenter({ ...still, jitterProbability: 1, brightness: 0.3, contrast: 0.3 }, [8, 8, 1]);
    const x = tf.fill([1, 8, 8, 1], 0.5) as tf.Tensor4D;
    const p = aug.drawParams(1, createRng(3));
    p.contrast[0] = 1;
    expect(aug.applyParams(x, p).dataSync()[10]).toBeCloseTo(0.5 * p.brightness[0], 5);
    // blur of a centred impulse spreads it but keeps its mass
    const impulse = tf.tensor4d(Float32Array.from({ length: 64 }, (_, i) => (i === 27 ? 1 : 0)), [1, 8, 8, 1]);
    const q = createAugmenter(still, [8, 8, 1]).drawParams(1, createRng(0));
    q.blurSigma[0] = 1;
    const blurred = createAugmenter(still, [8, 8, 1]).applyParams(impulse, q).dataSync();
    expect(blurred[27]).toBeLessThan(0.3);
    expect(blurred[28]).toBeGreaterThan(0.05);
    expect(Array.from(blurred).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    // noise: per-sample std drawn in [0, noiseStd]
    const noisy = createAugmenter({ ...still, noiseStd: 0.1 }, [8, 8, 1]);
    const r = noisy.drawParams(1, createRng(9));
    const normals = createRng(10).fillNormal(new Float32Array(64));
    const out = noisy.applyParams(x, r, normals).dataSync();
    expect(out[5]).toBeCloseTo(0.5 + r.noiseStd[0] * normals[5], 5);
    expect(r.noiseStd[0]).toBeLessThanOrEqual(0.1);
  });

  it('raises AugmentError for bad options and mismatching inputs', () => {
    expect(() => createAugmenter({ cropScale: [0.5, 0.2] }, [8, 8, 1])).toThrow(/cropScale \[0.5, 0.2\]/);
    expect(() => createAugmenter({ flipProbability: 2 }, [8, 8, 1])).toThrow(AugmentError);
    expect(() => createAugmenter({}, [8, 8, 2])).toThrow(/imageShape \[8, 8, 2\]/);
    expect(() => createAugmenter({}, [4, 4, 1]).view(ramp(), createRng(0))).toThrow(/input shape \[1, 8, 8, 1\]/);
  });
});
