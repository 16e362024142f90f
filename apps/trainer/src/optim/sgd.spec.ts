import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { OptimizerOptionError, OptimizerStateError } from './optim-errors.ts';
import { createSgd } from './sgd.ts';

describe('createSgd (PyTorch SGD semantics)', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('applies buf = m*buf + (g + wd*w); w -= lr*buf, step after step', () => {
    const sgd = createSgd({ momentum: 0.9, weightDecay: 0.1 });
    const w = tf.variable(tf.tensor1d([1, -2]));
    const g = { w: tf.tensor1d([0.5, 0.25]) };
    sgd.step([{ name: 'w', variable: w, lr: 0.1 }], g);
    // step 1: g' = [0.6, 0.05], buf = g', w = [0.94, -2.005]
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(0.94, 6), expect.closeTo(-2.005, 6)]);
    sgd.step([{ name: 'w', variable: w, lr: 0.1 }], g);
    // step 2: g' = [0.5 + 0.094, 0.25 - 0.2005]; buf = 0.9*[0.6, 0.05] + g' = [1.134, 0.0945]
    expect(Array.from(w.dataSync())).toEqual([expect.closeTo(0.94 - 0.1134, 6), expect.closeTo(-2.005 - 0.00945, 6)]);
    expect(Array.from(sgd.getState()['w']!.data)).toEqual([expect.closeTo(1.134, 5), expect.closeTo(0.0945, 5)]);
    tf.dispose([w, g.w]);
    sgd.dispose();
  });

  it('exempts noDecay parameters only when decayBnAndBias is false, and uses each parameter its own lr', () => {
    const sgd = createSgd({ weightDecay: 1, decayBnAndBias: false });
    const a = tf.variable(tf.scalar(1));
    const b = tf.variable(tf.scalar(1));
    const zero = tf.scalar(0);
    sgd.step(
      [
        { name: 'a', variable: a, lr: 0.5, noDecay: true },
        { name: 'b', variable: b, lr: 0.25 },
      ],
      { a: zero, b: zero },
    );
    expect(a.dataSync()[0]).toBe(1);
    expect(b.dataSync()[0]).toBeCloseTo(0.75, 6);
    tf.dispose([a, b, zero]);
    sgd.dispose();
  });

  it('round-trips its momentum buffers through getState/setState', () => {
    const make = (): tf.Variable => tf.variable(tf.tensor1d([0.3, 0.7, -1]));
    const g = { w: tf.tensor1d([1, 2, 3]) };
    const first = createSgd({ weightDecay: 5e-4 });
    const w1 = make();
    first.step([{ name: 'w', variable: w1, lr: 0.05 }], g);
    const second = createSgd({ weightDecay: 5e-4 });
    second.setState(first.getState());
    const w2 = tf.variable(w1.clone());
    first.step([{ name: 'w', variable: w1, lr: 0.05 }], g);
    second.step([{ name: 'w', variable: w2, lr: 0.05 }], g);
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
    tf.dispose([w1, w2, g.w]);
    first.dispose();
    second.dispose();
  });

  it('rejects bad options and state with typed errors naming the value', () => {
    expect(() => createSgd({ momentum: 1 })).toThrow(OptimizerOptionError);
    expect(() => createSgd({ weightDecay: -1 })).toThrow(/weightDecay=-1/);
    const sgd = createSgd();
    expect(() => sgd.setState({ w: { shape: [2], data: new Float32Array(3) } })).toThrow(OptimizerStateError);
    const w = tf.variable(tf.scalar(1));
    expect(() => sgd.step([{ name: 'w', variable: w, lr: 0.1 }], {})).toThrow(/'w'/);
    expect(() => sgd.step([{ name: 'w', variable: w, lr: Number.NaN }], { w })).toThrow(/lr of w/);
    w.dispose();
  });

  it('leaks no tensors per step beyond its momentum buffers', () => {
    const sgd = createSgd({ weightDecay: 1e-4 });
    const w = tf.variable(tf.ones([4, 4]));
    const g = { w: tf.ones([4, 4]) };
    sgd.step([{ name: 'w', variable: w, lr: 0.1 }], g);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      sgd.step([{ name: 'w', variable: w, lr: 0.1 }], g);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([w, g.w]);
    sgd.dispose();
  });
});
