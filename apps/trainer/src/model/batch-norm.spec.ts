import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { batchNorm, batchNormSpecs } from './batch-norm.ts';
import type { ForwardContext } from './module-types.ts';
import { ParamStore } from './param-store.ts';

function context(store: ParamStore, training: boolean, groups: number, updateStats: boolean): ForwardContext {
  return { param: (n) => store.get(n), training, groups, updateStats };
}

/** Reference BN by plain autodiff-able ops on one group: (x - mean) / sqrt(var + eps) * gamma + beta. */
function reference(x: tf.Tensor2D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, 0);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gamma), beta);
}

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-12));
}

describe('batchNorm (matMul reductions, explicit gradient, view groups)', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('matches per-view reference BN and its autodiff gradients on the cpu backend (2 views of 2 x 3 x 3 x 4)', async () => {
    const xData = tf.tidy(() => tf.randomNormal([4, 3, 3, 4], 1, 2, 'float32', 7).dataSync() as Float32Array);
    const wData = tf.tidy(() => tf.randomNormal([4, 3, 3, 4], 0, 1, 'float32', 8).dataSync() as Float32Array);
    const gammaData = new Float32Array([1, 2, 0.5, -1]);
    const betaData = new Float32Array([0, 1, -1, 0.5]);
    // ours, on wasm: value and gradients w.r.t. x, weight and bias
    const store = new ParamStore(batchNormSpecs('bn', 4, 'backbone'), 0);
    store.get('bn.weight').assign(tf.tensor1d(gammaData));
    store.get('bn.bias').assign(tf.tensor1d(betaData));
    const ctx = context(store, true, 2, false);
    const x = tf.variable(tf.tensor4d(xData, [4, 3, 3, 4]));
    const w = tf.tensor4d(wData, [4, 3, 3, 4]);
    const vars = [x, store.get('bn.weight'), store.get('bn.bias')];
    const ours = tf.variableGrads(() => tf.sum(tf.mul(batchNorm(ctx, 'bn', x), w)), vars);
    const oursValues = [ours.value, ...vars.map((v) => ours.grads[v.name]!)].map((t) => t.dataSync() as Float32Array);
    tf.dispose([x, w, ours.value, ...Object.values(ours.grads)]);
    store.dispose();
    // reference, on cpu: tf.moments per view, autodiff
    await tf.setBackend('cpu');
    const ref = tf.tidy(() => {
      const wt = tf.tensor4d(wData, [4, 3, 3, 4]);
      const f = (xt: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => {
        const [a, c] = tf.split(tf.reshape(xt, [2, 18, 4]), 2, 0);
        const y = tf.concat([reference(tf.reshape(a!, [18, 4]), g, b), reference(tf.reshape(c!, [18, 4]), g, b)], 0);
        return tf.sum(tf.mul(tf.reshape(y, [4, 3, 3, 4]), wt));
      };
      const inputs = [tf.tensor4d(xData, [4, 3, 3, 4]), tf.tensor1d(gammaData), tf.tensor1d(betaData)];
      const { value, grads } = tf.valueAndGrads(f)(inputs);
      return [value, ...grads].map((t) => t.dataSync() as Float32Array);
    });
    await tf.setBackend('wasm');
    expect(ref).toHaveLength(4);
    for (let i = 0; i < ref.length; i++) {
      expect(maxRelDiff(tf.tensor(oursValues[i]!), tf.tensor(ref[i]!))).toBeLessThan(1e-4);
    }
  });

  it('folds the views into the running statistics in order, PyTorch style (momentum 0.1, unbiased var)', () => {
    const store = new ParamStore(batchNormSpecs('bn', 1, 'projector', false), 0);
    const x = tf.tensor2d([[1], [3], [10], [14]]);
    tf.tidy(() => batchNorm(context(store, true, 2, true), 'bn', x, false));
    // view 1: mean 2, unbiased var 2; view 2: mean 12, unbiased var 8
    const m1 = 0.1 * 2;
    const v1 = 0.9 + 0.1 * 2;
    expect(store.get('bn.running_mean').dataSync()[0]).toBeCloseTo(0.9 * m1 + 0.1 * 12, 5);
    expect(store.get('bn.running_var').dataSync()[0]).toBeCloseTo(0.9 * v1 + 0.1 * 8, 5);
    const y = tf.tidy(() => batchNorm(context(store, false, 1, false), 'bn', x, false).dataSync());
    const rm = store.get('bn.running_mean').dataSync()[0]!;
    const rv = store.get('bn.running_var').dataSync()[0]!;
    expect(y[0]).toBeCloseTo((1 - rm) / Math.sqrt(rv + 1e-5), 4);
    x.dispose();
    store.dispose();
  });
});
