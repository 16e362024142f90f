import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { negativeCosine } from './cosine-loss.ts';
import { type ModelConfig, ModelConfigError } from './model-config.ts';
import { createSiameseModel, type SiameseModel } from './siamese-model.ts';

const MLP: ModelConfig = {
  method: 'simsiam',
  backbone: { kind: 'mlp', depth: 1, width: 16 },
  inputShape: [4, 4, 1],
  projectorDim: 8,
  projectorHiddenDim: 16,
  predictorHiddenDim: 4,
  stopGradient: true,
  emaDecay: 0.9,
};
const RESNET: ModelConfig = {
  ...MLP,
  backbone: { kind: 'resnet', depth: 1, width: 0.25 },
  inputShape: [14, 14, 1],
};

const models: SiameseModel[] = [];
function make(config: ModelConfig, seed: number): SiameseModel {
  const model = createSiameseModel(config, seed, { weightDecay: 5e-4 });
  models.push(model);
  return model;
}

function views(n: number, shape: [number, number, number], seed: number): [tf.Tensor4D, tf.Tensor4D] {
  return tf.tidy(() => {
    const base = tf.randomUniform([n, ...shape], 0, 1, 'float32', seed);
    const noise = (s: number): tf.Tensor4D => tf.add(base, tf.randomNormal([n, ...shape], 0, 0.1, 'float32', s)) as tf.Tensor4D;
    return [noise(seed + 1), noise(seed + 2)];
  });
}

function allZero(grads: tf.NamedTensorMap): boolean {
  return Object.values(grads).every((g) => tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0]) === 0);
}

describe('createSiameseModel', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });
  afterEach(() => {
    models.splice(0).forEach((m) => m.dispose());
  });

  it('lets no gradient through the stop-gradient targets (and does without stopGradient)', () => {
    const model = make(MLP, 1);
    const [x1, x2] = views(8, MLP.inputShape, 10);
    const vars = Object.values(model.trainableVariables());
    const throughTargets = tf.variableGrads(() => {
      const f = model.forward(x1, x2);
      return tf.add(tf.sum(f.z1Target), tf.sum(f.z2Target)) as tf.Scalar;
    }, vars);
    expect(allZero(throughTargets.grads)).toBe(true);
    // The loss gradient equals the gradient with the targets computed outside the tape (PyTorch's detach).
    const fixed = tf.tidy(() => {
      const f = model.forward(x1, x2);
      return [f.z1Target.clone(), f.z2Target.clone()];
    });
    const withStop = tf.variableGrads(() => model.forward(x1, x2).loss, vars);
    const detached = tf.variableGrads(() => {
      const f = model.forward(x1, x2);
      return tf.mul(0.5, tf.add(negativeCosine(f.p1, fixed[1] as tf.Tensor2D), negativeCosine(f.p2, fixed[0] as tf.Tensor2D))) as tf.Scalar;
    }, vars);
    expect(withStop.value.dataSync()[0]).toBe(detached.value.dataSync()[0]);
    for (const v of vars) {
      expect(Array.from(withStop.grads[v.name]!.dataSync())).toEqual(Array.from(detached.grads[v.name]!.dataSync()));
    }
    const open = make({ ...MLP, stopGradient: false }, 1);
    const openVars = Object.values(open.trainableVariables());
    const openGrads = tf.variableGrads(() => {
      const f = open.forward(x1, x2);
      return tf.add(tf.sum(f.z1Target), tf.sum(f.z2Target)) as tf.Scalar;
    }, openVars.filter((v) => !v.name.includes('predictor')));
    expect(allZero(openGrads.grads)).toBe(false);
    tf.dispose([x1, x2, ...fixed, throughTargets, withStop, detached, openGrads].flatMap((g) =>
      g instanceof tf.Tensor ? [g] : [g.value, ...Object.values(g.grads)],
    ));
  });

  it('continues bit-identically after getState/setState into a model built from another seed', () => {
    const a = make(RESNET, 3);
    const [x1, x2] = views(6, RESNET.inputShape, 20);
    a.trainStep(x1, x2, { base: 0.05 });
    a.trainStep(x1, x2, { base: 0.05, predictor: 0.1 });
    const b = make(RESNET, 4);
    expect(b.getState()['backbone.stem.conv.weight']!.data).not.toEqual(a.getState()['backbone.stem.conv.weight']!.data);
    const state = a.getState();
    expect(Object.keys(state).filter((k) => k.startsWith('optim.momentum.')).length).toBeGreaterThan(0);
    b.setState(state);
    const la = a.trainStep(x1, x2, { base: 0.05 }).loss;
    const lb = b.trainStep(x1, x2, { base: 0.05 }).loss;
    expect(lb).toBe(la);
    const sa = a.getState();
    const sb = b.getState();
    expect(Object.keys(sb).sort()).toEqual(Object.keys(sa).sort());
    for (const key of Object.keys(sa)) {
      expect(sb[key]!.data, key).toEqual(sa[key]!.data);
    }
    tf.dispose([x1, x2]);
  });

  it('reduces the SimSiam loss on a tiny random problem within a few hundred steps, leaking no tensors', () => {
    const model = make(MLP, 5);
    const [x1, x2] = views(16, MLP.inputShape, 30);
    const losses: number[] = [model.trainStep(x1, x2, { base: 0.05 }).loss];
    const before = tf.memory().numTensors; // after the first step created the momentum buffers
    for (let step = 1; step < 200; step++) {
      losses.push(model.trainStep(x1, x2, { base: 0.05 }).loss);
    }
    expect(tf.memory().numTensors).toBe(before);
    const mean = (xs: number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
    expect(mean(losses.slice(-20))).toBeLessThan(mean(losses.slice(0, 5)) - 0.3);
    expect(Math.min(...losses)).toBeGreaterThanOrEqual(-1 - 1e-5);
    tf.dispose([x1, x2]);
  });

  it('BYOL: after a step the target is emaDecay * old target + (1 - emaDecay) * new online', () => {
    const model = make({ ...MLP, method: 'byol', emaDecay: 0.9 }, 6);
    const s0 = model.getState();
    expect(s0['target.backbone.fc0.weight']!.data).toEqual(s0['backbone.fc0.weight']!.data);
    expect(s0['target.predictor.fc0.weight']).toBeUndefined();
    const [x1, x2] = views(8, MLP.inputShape, 40);
    const { loss } = model.trainStep(x1, x2, { base: 0.1 });
    expect(loss).toBeGreaterThanOrEqual(0);
    expect(loss).toBeLessThanOrEqual(4);
    const s1 = model.getState();
    for (const name of ['backbone.fc0.weight', 'projector.fc1.weight', 'backbone.bn0.running_mean']) {
      const old = s0[`target.${name}`]!.data;
      const online = s1[name]!.data;
      const target = s1[`target.${name}`]!.data;
      expect(online).not.toEqual(s0[name]!.data);
      for (let i = 0; i < target.length; i++) {
        expect(target[i]).toBeCloseTo(0.9 * old[i]! + 0.1 * online[i]!, 6);
      }
    }
    tf.dispose([x1, x2]);
  });

  it('embeds in inference mode with n x featureDim backbone and n x projectorDim projector outputs', () => {
    const model = make(RESNET, 7);
    expect(model.featureDim).toBe(16);
    const x = tf.randomUniform([5, 14, 14, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const e1 = model.embed(x);
    expect(e1.backbone.shape).toEqual([5, 16]);
    expect(e1.projector.shape).toEqual([5, 8]);
    const single = model.embed(tf.slice(x, [0, 0, 0, 0], [1, 14, 14, 1]));
    // inference mode: an example's embedding does not depend on the rest of the batch
    expect(single.backbone.dataSync()[3]).toBeCloseTo(e1.backbone.dataSync()[3]!, 5);
    const counted = Object.values(model.trainableVariables()).reduce((n, v) => n + v.size, 0);
    expect(model.paramCount).toBe(counted);
    // stem 3*3*1*4 + 2*4 (BN) ... : recomputed independently from the widths 4-8-16-16
    const conv = (ci: number, co: number): number => 9 * ci * co + 2 * co;
    const backbone = conv(1, 4) + conv(4, 8) + 2 * conv(8, 8) + conv(8, 16) + 2 * conv(16, 16) + conv(16, 16) + 2 * conv(16, 16);
    const heads = 16 * 16 + 32 + 16 * 8 + (8 * 4 + 8 + 4 * 8 + 8);
    expect(model.paramCount).toBe(backbone + heads);
    tf.dispose([x, e1.backbone, e1.projector, single.backbone, single.projector]);
  });

  it('initialises deterministically from the seed', () => {
    const a = make(MLP, 11).getState();
    const b = make(MLP, 11).getState();
    const c = make(MLP, 12).getState();
    expect(b['projector.fc0.weight']!.data).toEqual(a['projector.fc0.weight']!.data);
    expect(c['projector.fc0.weight']!.data).not.toEqual(a['projector.fc0.weight']!.data);
  });

  it('rejects bad configs and inputs with a typed error naming the value', () => {
    expect(() => make({ ...MLP, method: 'moco' as 'byol' }, 1)).toThrow(ModelConfigError);
    expect(() => make({ ...MLP, backbone: { kind: 'mlp', depth: 0, width: 8 } }, 1)).toThrow(/backbone.depth=0/);
    expect(() => make({ ...MLP, emaDecay: 1.5 }, 1)).toThrow(/emaDecay=1.5/);
    const model = make(MLP, 1);
    const wrong = tf.zeros([4, 5, 5, 1]) as tf.Tensor4D;
    expect(() => model.trainStep(wrong, wrong, { base: 0.1 })).toThrow(/x1.shape=\[4,5,5,1\]/);
    expect(() => model.setState({})).toThrow(/backbone.fc0.weight/);
    wrong.dispose();
  });
});
