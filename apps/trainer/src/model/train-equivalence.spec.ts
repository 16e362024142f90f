/**
 * A short SimSiam training run on the wasm backend with SiamWatch's replacement kernels (Conv2DBackpropFilter,
 * the phase-split Conv2DBackpropInput, explicit-transpose BatchMatMul) against the same run on the cpu backend's
 * reference kernels: same initial weights, same fixed views, same learning rate. The two loss curves must agree
 * to float32 noise and the final weights must be close, which checks every custom kernel and gradient in the
 * composition the trainer actually runs (stride-1 stem, stride-2 stages, BN, MLP heads, momentum SGD).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TensorState } from '../optim/sgd.ts';
import { resolveBackend } from '../backend/resolve-backend.ts';
import type { ModelConfig } from './model-config.ts';
import { createSiameseModel } from './siamese-model.ts';

const CONFIG: ModelConfig = {
  method: 'simsiam',
  // widths 4-8-16-16: a stride-1 stem and three stride-2 stages, one residual block each (1x1 stride-2 shortcuts).
  backbone: { kind: 'resnet', depth: 1, width: 0.25 },
  inputShape: [12, 12, 1],
  projectorDim: 16,
  projectorHiddenDim: 16,
  predictorHiddenDim: 8,
  stopGradient: true,
  emaDecay: 0,
};
const STEPS = 16;
const BATCH = 8;
const LR = 0.05;
/**
 * Loss tolerances. Float32 rounding differs between kernels (different summation orders); the measured gap is
 * ~1e-7 at step 1 and grows chaotically along the run (batch 4 per view BN amplifies it): ~1e-5 by step 8,
 * ~5e-5 by step 16, ~5e-3 by step 25. A wrong kernel or gradient shows at step 1-2 at 1e-2 or more.
 */
const EARLY_STEPS = 8;
const EARLY_TOLERANCE = 5e-5;
const LOSS_TOLERANCE = 5e-4;
/** Final weights: max |difference| relative to the largest |weight| of each parameter. */
const WEIGHT_TOLERANCE = 1e-2;

/** Deterministic values in [0, 1) (an LCG: the run needs reproducible, not good, randomness). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32;
  }
  return out;
}

/** Fixed two views of each step: the same images with different deterministic noise. */
function stepViews(step: number): [Float32Array, Float32Array] {
  const n = BATCH * 12 * 12;
  const base = values(n, 1000 + (step % 5));
  const v1 = values(n, 2000 + step);
  const v2 = values(n, 3000 + step);
  return [base.map((b, i) => b + 0.2 * (v1[i]! - 0.5)), base.map((b, i) => b + 0.2 * (v2[i]! - 0.5))];
}

interface Run {
  losses: number[];
  final: TensorState;
}

/** Trains STEPS steps on `backend` from `initial` (weights and BN statistics) and returns the losses and state. */
async function train(backend: string, initial: TensorState): Promise<Run> {
  expect(await tf.setBackend(backend)).toBe(true);
  const model = createSiameseModel(CONFIG, 7, { weightDecay: 5e-4 });
  try {
    model.setState(initial);
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      const [a, b] = stepViews(s);
      const x1 = tf.tensor4d(a, [BATCH, 12, 12, 1]);
      const x2 = tf.tensor4d(b, [BATCH, 12, 12, 1]);
      losses.push(model.trainStep(x1, x2, { base: LR }).loss);
      tf.dispose([x1, x2]);
    }
    return { losses, final: model.getState() };
  } finally {
    model.dispose();
  }
}

describe('a short training run: wasm with SiamWatch kernels vs cpu reference kernels', () => {
  let initial: TensorState;
  beforeAll(async () => {
    await resolveBackend('wasm');
    const model = createSiameseModel(CONFIG, 7, { weightDecay: 5e-4 });
    initial = model.getState();
    model.dispose();
  });
  afterAll(async () => {
    await tf.setBackend('wasm');
  });

  it('gives the same loss curve within float32 noise and close final weights', async () => {
    const wasm = await train('wasm', initial);
    const cpu = await train('cpu', initial);
    // The run must actually learn something, or equal curves would prove little.
    expect(wasm.losses.at(-1)!).toBeLessThan(wasm.losses[0]! - 0.2);
    const lossGap = Math.max(...wasm.losses.map((l, i) => Math.abs(l - cpu.losses[i]!)));
    const earlyGap = Math.max(...wasm.losses.slice(0, EARLY_STEPS).map((l, i) => Math.abs(l - cpu.losses[i]!)));
    expect(earlyGap).toBeLessThan(EARLY_TOLERANCE);
    expect(lossGap).toBeLessThan(LOSS_TOLERANCE);
    for (const [name, entry] of Object.entries(cpu.final)) {
      // Trainable weights only: BN running means near zero make relative errors meaningless there.
      if (name.startsWith('optim.') || name.includes('.running_')) {
        continue;
      }
      const other = wasm.final[name]!.data;
      let diff = 0;
      let scale = 0;
      entry.data.forEach((v, i) => {
        diff = Math.max(diff, Math.abs(v - other[i]!));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(diff / Math.max(scale, 1e-6), name).toBeLessThan(WEIGHT_TOLERANCE);
    }
    // Weights moved (the comparison is not of two untouched copies of the initial state).
    const moved = 'backbone.stage3.down.conv.weight';
    const delta = initial[moved]!.data.reduce((m, v, i) => Math.max(m, Math.abs(v - wasm.final[moved]!.data[i]!)), 0);
    expect(delta).toBeGreaterThan(1e-4);
    process.stdout.write(`loss wasm ${wasm.losses[0]!.toFixed(4)} -> ${wasm.losses.at(-1)!.toFixed(4)}, max |wasm - cpu| ${lossGap.toExponential(2)}\n`);
  }, 60_000);
});
