import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { stopGradient } from './stop-gradient.ts';

describe('stopGradient', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('is the identity forward and blocks the gradient of its branch exactly', () => {
    const x = tf.tensor1d([1.5, -2, 3]);
    const value = stopGradient(x);
    expect(Array.from(value.dataSync())).toEqual([1.5, -2, 3]);
    // d/dx sum(x * sg(x)) = sg(x) = x; without the stop it would be 2x.
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(t, stopGradient(t))))(x);
    expect(Array.from(g.dataSync())).toEqual([1.5, -2, 3]);
    const only = tf.grad((t: tf.Tensor) => tf.sum(tf.square(stopGradient(t))))(x);
    expect(Array.from(only.dataSync())).toEqual([0, 0, 0]);
    tf.dispose([x, value, g, only]);
  });
});
