import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import type { ModelConfig } from '../model/model-config.ts';
import { createSiameseModel } from '../model/siamese-model.ts';
import type { TensorState } from '../optim/sgd.ts';
import { createDataParallelModel, type DataParallelModel } from './data-parallel-model.ts';
import { DataParallelOptionError } from './replica-protocol.ts';

const CONFIG: ModelConfig = {
  method: 'simsiam',
  backbone: { kind: 'resnet', depth: 1, width: 0.25 },
  inputShape: [12, 12, 1],
  projectorDim: 16,
  projectorHiddenDim: 16,
  predictorHiddenDim: 8,
  stopGradient: true,
  emaDecay: 0,
};
const BATCH = 8;
const STEPS = 5;

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32;
  }
  return out;
}

interface Run {
  losses: number[];
  state: TensorState;
  embedding: Float32Array;
}

function run(model: { trainStep: DataParallelModel['trainStep']; getState(): TensorState; embed: DataParallelModel['embed'] }): Run {
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const base = values(BATCH * 144, 1 + (s % 2));
    const [n1, n2] = [values(BATCH * 144, 10 + s), values(BATCH * 144, 20 + s)];
    const x1 = tf.tensor4d(base.map((v, i) => v + 0.2 * n1[i]!), [BATCH, 12, 12, 1]);
    const x2 = tf.tensor4d(base.map((v, i) => v + 0.2 * n2[i]!), [BATCH, 12, 12, 1]);
    losses.push(model.trainStep(x1, x2, { base: 0.05 }).loss);
    tf.dispose([x1, x2]);
  }
  const x = tf.tensor4d(values(4 * 144, 99), [4, 12, 12, 1]);
  const e = model.embed(x);
  const embedding = e.projector.dataSync() as Float32Array;
  tf.dispose([x, e.backbone, e.projector]);
  return { losses, state: model.getState(), embedding };
}

/** Max |a - b| over max |b| of every weight, running statistic and momentum buffer. */
function stateGap(a: TensorState, b: TensorState): number {
  let worst = 0;
  for (const [key, entry] of Object.entries(b)) {
    const other = a[key]!.data;
    let diff = 0;
    let scale = 1e-3;
    entry.data.forEach((v, i) => {
      diff = Math.max(diff, Math.abs(v - other[i]!));
      scale = Math.max(scale, Math.abs(v));
    });
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

describe('createDataParallelModel (SyncBN, averaged gradients, one wasm replica per worker thread)', () => {
  const opened: DataParallelModel[] = [];
  beforeAll(async () => {
    await resolveBackend('wasm');
  });
  afterAll(() => {
    opened.splice(0).forEach((m) => m.dispose());
  });

  it('trains like one process: 2 workers match 1 worker and the plain model within float32 noise', () => {
    const single = createSiameseModel(CONFIG, 3, { weightDecay: 5e-4 });
    const reference = run(single);
    single.dispose();
    const one = createDataParallelModel(CONFIG, 3, { workers: 1 });
    opened.push(one);
    const two = createDataParallelModel(CONFIG, 3, { workers: 2 });
    opened.push(two);
    expect(two.paramCount).toBe(one.paramCount);
    const r1 = run(one);
    const r2 = run(two);
    expect(reference.losses[STEPS - 1]!).toBeLessThan(reference.losses[0]! - 0.02);
    r2.losses.forEach((l, i) => {
      expect(Math.abs(l - reference.losses[i]!)).toBeLessThan(1e-4);
      expect(Math.abs(l - r1.losses[i]!)).toBeLessThan(1e-4);
    });
    expect(r1.losses).toEqual(reference.losses.map((l) => expect.closeTo(l, 5)));
    expect(Object.keys(r2.state).sort()).toEqual(Object.keys(reference.state).sort());
    // Weights, BN running statistics (SyncBN: whole-batch mean/variance) and momentum buffers.
    expect(stateGap(r2.state, reference.state)).toBeLessThan(1e-3);
    expect(stateGap(r1.state, reference.state)).toBeLessThan(1e-4);
    // embed() on the main thread uses the trained weights of the replicas.
    const gap = Math.max(...r2.embedding.map((v, i) => Math.abs(v - reference.embedding[i]!)));
    expect(gap).toBeLessThan(1e-3);
    // Tensor counts of the replicas stay bounded (no per-step leak).
    expect(two.replicaTensors).toHaveLength(2);
    expect(two.replicaTensors[0]).toBe(two.replicaTensors[1]);
  }, 120_000);

  it('rejects a batch that does not split evenly and a bad worker count, naming the value', () => {
    expect(() => createDataParallelModel(CONFIG, 3, { workers: 0 })).toThrow(DataParallelOptionError);
    const two = opened.at(-1)!;
    const x = tf.zeros([5, 12, 12, 1]) as tf.Tensor4D;
    expect(() => two.trainStep(x, x, { base: 0.1 })).toThrow(/batch = 5/);
    x.dispose();
  });
});
