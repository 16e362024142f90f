import { calibrationRunFromMetricsLines } from '@siamwatch/monitor';
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from '../config/train-config.ts';
import { listCheckpoints, loadCheckpoint } from '../run/checkpoint.ts';
import { readMetrics } from '../run/metrics-log.ts';
import type { TensorState } from '../run/checkpoint.ts';
import type { Rng } from '../util/rng.ts';
import type { TrainData, TrainerDeps, TrainableModel } from './trainer-deps.ts';
import { createTrainer } from './trainer.ts';
import { TrainError, type StepEvent, type TrainerHooks } from './trainer-types.ts';

/**
 * Loop mechanics with a fake model (one linear map trained by a toy rule) and fake augmenter that
 * draws from the trainer's RNG, on the real scheduler, checkpoints and evaluation, cpu backend.
 */
function fakeData(): TrainData {
  const n = 96;
  const size = 4 * 4;
  const x = new Float32Array(n * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    for (let j = 0; j < size; j++) x[i * size + j] = ((j % 3 === y[i] ? 1 : 0) + ((i * 7 + j * 13) % 10) / 20) / 1.5;
  }
  return { name: 'fake', imageShape: [4, 4, 1], numClasses: 3, train: { x, y, n }, test: { x, y, n } };
}

function fakeModel(seed: number): TrainableModel {
  const w = new Float32Array(16 * 6).map((_, i) => Math.sin(i * 12.9898 + seed) * 0.5);
  return {
    paramCount: w.length,
    trainStep(x1, x2, lr) {
      const diff = tf.sub(x1, x2).reshape([x1.shape[0], 16]).mean(0).dataSync();
      for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr.base * diff[Math.floor(i / 6)]! * 0.1;
      return { loss: -1 + Math.abs(diff[0]!) };
    },
    embed(x) {
      const flat = x.reshape([x.shape[0], 16]);
      const backbone = tf.matMul(flat, tf.tensor2d(w, [16, 6])) as tf.Tensor2D;
      return { backbone, projector: tf.relu(backbone) as tf.Tensor2D };
    },
    getState: (): Record<string, TensorState> => ({ w: { shape: [16, 6], data: w.slice() } }),
    setState(state) {
      w.set(state['w']!.data);
    },
    dispose: () => undefined,
  };
}

const deps = (hooks: TrainerHooks[] = []): TrainerDeps => ({
  hooks,
  resolveBackend: async () => ({ backend: 'cpu' }),
  loadDataset: async () => fakeData(),
  createModel: (_spec, seed) => fakeModel(seed),
  createAugmenter: () => ({
    pair: (x: tf.Tensor4D, rng: Rng) => [tf.add(x, rng.normal() * 0.1), tf.add(x, rng.normal() * 0.1)] as [tf.Tensor4D, tf.Tensor4D],
  }),
});

function config(out: string, extra: TrainConfigInput = {}) {
  return parseTrainConfig({
    dataset: { name: 'synthetic' },
    batchSize: 16,
    epochs: 4,
    eval: { everyEpochs: 2, probeTrain: 60, probeTest: 60 },
    checkpoint: { everySteps: 5, everySeconds: 0 },
    seed: 3,
    out,
    ...extra,
  });
}

const withoutTiming = (records: Record<string, unknown>[]) =>
  records.map(({ imagesPerSecond: _i, evalSeconds: _e, ...rest }) => rest);

describe('createTrainer (fake model)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('trains, evaluates and writes metrics, checkpoints and summary', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-trainer-')), 'run');
    const steps: StepEvent[] = [];
    const result = await createTrainer(config(out), deps([{ onStep: (e) => void steps.push(e) }])).run();
    expect(result.status).toBe('finished');
    expect(result.totalSteps).toBe(24);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const records = readMetrics(join(out, 'metrics.jsonl'));
    const evals = records.filter((r) => r['type'] === 'evaluation');
    expect(evals.map((r) => r.step)).toEqual([0, 12, 24]);
    // Evaluation lines are monitor checks: the monitor's calibration reader accepts the file.
    const run = calibrationRunFromMetricsLines(records);
    expect(run.checks.map((c) => c.step)).toEqual([0, 12, 24]);
    expect(run.checks[2]!.totalSteps).toBe(24);
    expect(run.finalLinearProbeAccuracy).toBe(evals[2]!['linearProbeAccuracy']);
    expect(run.modelParams).toBe(96);
    expect(run.dataSize).toBe(96);
    expect(records.filter((r) => r['type'] === 'step')).toHaveLength(24);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['linearProbeAccuracy', 'knnAccuracy', 'auc', 'backend', 'imagesPerSecond', 'paramCount', 'steps', 'seconds', 'rankme', 'regimeHistory', 'trainAuc', 'trainRankme', 'backboneDim']) {
      expect(summary).toHaveProperty(key);
    }
    // the training-set spectrum (the paper authors' protocol) is recorded at every evaluation and summarised
    const lastTrain = evals[2]!['trainBackbone'] as { auc: number; dim: number };
    expect(summary['trainAuc']).toBe(lastTrain.auc);
    expect(summary['backboneDim']).toBe(6);
    expect(lastTrain.dim).toBe(6);
    expect(listCheckpoints(join(out, 'checkpoints')).map((c) => c.step)).toEqual([20, 24]);
    await expect(createTrainer(config(out), deps()).run()).rejects.toThrow(TrainError);
  });

  it('stops on request, then resumes to the same weights and metrics as an uninterrupted run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-trainer-'));
    const full = join(root, 'full');
    await createTrainer(config(full), deps()).run();
    const part = join(root, 'part');
    const first = createTrainer(config(part), deps());
    first.addHooks({ onStep: (e) => (e.step === 13 ? first.requestStop('test') : undefined) });
    const stopped = await first.run();
    expect(stopped.status).toBe('stopped');
    expect(stopped.step).toBe(13);
    expect(listCheckpoints(join(part, 'checkpoints')).at(-1)?.step).toBe(13);
    const resumed = await createTrainer(config(part, { resume: true }), deps()).run();
    expect(resumed.status).toBe('finished');
    const finalOf = (dir: string) => loadCheckpoint(listCheckpoints(join(dir, 'checkpoints')).at(-1)!.file);
    expect(Array.from(finalOf(part).tensors['w']!.data)).toEqual(Array.from(finalOf(full).tensors['w']!.data));
    expect(withoutTiming(readMetrics(join(part, 'metrics.jsonl')))).toEqual(withoutTiming(readMetrics(join(full, 'metrics.jsonl'))));
  });

  it('switches regime live at the next step and records why', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-trainer-')), 'run');
    const trainer = createTrainer(config(out, { eval: { atStart: false, probeTrain: 30, probeTest: 30 } }), deps());
    trainer.addHooks({ onStep: (e) => (e.step === 6 ? trainer.switchRegime('continual', 'monitor: test') : undefined) });
    const result = await trainer.run();
    expect(result.summary?.regimeHistory).toEqual([
      { step: 0, regime: 'iid', reason: 'start' },
      { step: 6, regime: 'continual', reason: 'monitor: test' },
    ]);
    const regimes = readMetrics(join(out, 'metrics.jsonl')).filter((r) => r['type'] === 'step');
    expect(regimes[5]!['regime']).toBe('iid');
    expect(regimes[6]!['regime']).toBe('continual');
    expect(() => trainer.switchRegime('last' as 'iid', 'x')).toThrow(/last/);
    expect(existsSync(join(out, 'config.json'))).toBe(true);
  });

  it('a hybrid run reports its phase per step and records the planned switch', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-trainer-')), 'run');
    const changes: string[] = [];
    const trainer = createTrainer(
      config(out, { eval: { atStart: false, probeTrain: 30, probeTest: 30 }, regime: { name: 'hybrid', chunks: 2, hybridSwitchFraction: 0.5 } }),
      deps([{ onRegimeChange: (c) => void changes.push(`${c.step}:${c.regime}`) }]),
    );
    const result = await trainer.run();
    const regimes = readMetrics(join(out, 'metrics.jsonl')).filter((r) => r['type'] === 'step').map((r) => r['regime']);
    expect(regimes).toEqual([...Array<string>(12).fill('continual'), ...Array<string>(12).fill('iid')]);
    expect(result.summary?.regimeHistory).toEqual([
      { step: 0, regime: 'hybrid', reason: 'start' },
      { step: 12, regime: 'iid', reason: 'hybrid schedule' },
    ]);
    expect(changes).toEqual(['12:iid']);
  });

  it('refuses to resume with another setting, and stops on a non-finite loss', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-trainer-')), 'run');
    const first = createTrainer(config(out), deps());
    first.addHooks({ onStep: (e) => (e.step === 7 ? first.requestStop('test') : undefined) });
    await first.run();
    await expect(createTrainer(config(out, { resume: true, seed: 4 }), deps()).run()).rejects.toThrow(/another setting/);

    const nanOut = join(mkdtempSync(join(tmpdir(), 'siamwatch-trainer-')), 'run');
    const nanDeps = deps();
    nanDeps.createModel = (_spec, seed) => ({ ...fakeModel(seed), trainStep: () => ({ loss: Number.NaN }) });
    await expect(createTrainer(config(nanOut), nanDeps).run()).rejects.toThrow(/loss is NaN at step 1/);
  });
});
