import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { cliOptionsToConfig } from '../config/cli-overrides.ts';
import { ConfigError, parseTrainConfig } from '../config/train-config.ts';
import { defaultTrainerDeps } from '../train/default-trainer-deps.ts';
import type { ModelSpec } from '../train/trainer-deps.ts';

const SPEC: ModelSpec = {
  method: 'simsiam',
  backbone: { kind: 'resnet', depth: 0, width: 0.25 },
  inputShape: [8, 8, 1],
  projectorDim: 8,
  projectorHiddenDim: 8,
  predictorHiddenDim: 4,
  stopGradient: true,
  emaDecay: 0,
  weightDecay: 5e-4,
};

describe('the trainer --workers option', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('parses --workers into the config (default 1) and rejects 0', () => {
    expect(parseTrainConfig(cliOptionsToConfig({ workers: '2' })).workers).toBe(2);
    expect(parseTrainConfig({}).workers).toBe(1);
    expect(() => parseTrainConfig(cliOptionsToConfig({ workers: '0' }))).toThrow(ConfigError);
  });

  it('builds a data-parallel model for workers >= 2 that trains like the in-thread model', () => {
    const plain = defaultTrainerDeps.createModel({ ...SPEC, workers: 1 }, 5);
    const parallel = defaultTrainerDeps.createModel({ ...SPEC, workers: 2 }, 5);
    try {
      expect('workers' in parallel && parallel.workers).toBe(2);
      expect('workers' in plain).toBe(false);
      expect(parallel.paramCount).toBe(plain.paramCount);
      const x1 = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
      const x2 = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
      const a = plain.trainStep(x1, x2, { base: 0.1 }).loss;
      const b = parallel.trainStep(x1, x2, { base: 0.1 }).loss;
      expect(Math.abs(a - b)).toBeLessThan(1e-5);
      tf.dispose([x1, x2]);
    } finally {
      plain.dispose();
      parallel.dispose();
    }
  }, 60_000);
});
