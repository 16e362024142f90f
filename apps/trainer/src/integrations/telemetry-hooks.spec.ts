import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemoryTelemetry } from '@siamwatch/telemetry';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import { silentLogger } from '../train/trainer-deps.ts';
import { createTrainer } from '../train/trainer.ts';
import { guardedHooks } from './safe-telemetry.ts';
import { safeTelemetry } from './safe-telemetry.ts';
import { telemetryHooks } from './telemetry-hooks.ts';

describe('telemetryHooks on a real (tiny) training run', () => {
  it('maps steps, epochs, evaluations, checkpoints and a live regime switch to the telemetry', async () => {
    const config = parseTrainConfig({
      dataset: { name: 'synthetic', imageSize: 8, maxTrain: 256, maxTest: 128 },
      backbone: { kind: 'mlp', depth: 1, width: 32 },
      batchSize: 32,
      steps: 40, // 8 steps per epoch: 5 epochs
      eval: { atStart: true, everyEpochs: 2, probeTrain: 128, probeTest: 128 },
      checkpoint: { everySteps: 20, everySeconds: 0 },
      backend: 'wasm',
      seed: 2,
      out: join(mkdtempSync(join(tmpdir(), 'siamwatch-telemetry-hooks-')), 'run'),
    });
    const memory = createInMemoryTelemetry();
    const trainer = createTrainer(config, { logger: silentLogger });
    trainer.addHooks(guardedHooks('telemetry', telemetryHooks(safeTelemetry(memory, silentLogger)), silentLogger));
    trainer.addHooks({ onStep: (e) => void (e.step === 25 && trainer.switchRegime('continual', 'test switch')) });
    const result = await trainer.run();
    expect(result.status).toBe('finished');

    const steps = memory.callsOf('recordStep').map((c) => c.record);
    expect(steps.map((s) => s.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    for (const s of steps) {
      expect(Number.isFinite(s.loss)).toBe(true);
      expect(s.learningRate).toBeGreaterThanOrEqual(0);
      expect(s.durationSeconds).toBeCloseTo(32 / s.imagesPerSecond, 9);
    }
    const spans = memory.callsOf('span');
    expect(spans.filter((s) => s.name === 'epoch').map((s) => s.attributes['epoch'])).toEqual([1, 2, 3, 4, 5]);
    const evaluations = memory.callsOf('recordEvaluation').map((c) => c.record.step);
    expect(evaluations).toEqual([0, 16, 32, 40]);
    expect(spans.filter((s) => s.name === 'evaluation')).toHaveLength(4);
    const collapse = memory.callsOf('recordCollapse').map((c) => c.record);
    expect(collapse.map((c) => c.output)).toEqual(Array.from({ length: 4 }, () => ['backbone', 'projector']).flat());
    for (const c of collapse) {
      expect(c.auc).toBeGreaterThan(0.4);
      expect(c.auc).toBeLessThanOrEqual(1);
      expect(c.singularValues!.length).toBeGreaterThan(1);
    }
    const checkpoints = memory.callsOf('recordCheckpoint').map((c) => c.record);
    expect(checkpoints.map((c) => c.step)).toEqual([20, 40]);
    for (const c of checkpoints) expect(c.bytes).toBeGreaterThan(1000);
    const checkpointSpans = spans.filter((s) => s.name === 'checkpoint');
    expect(checkpointSpans.map((s) => s.attributes['reason'])).toEqual(['interval', 'final']);
    expect(memory.callsOf('setRegime').map((c) => [c.regime, c.step, c.reason])).toEqual([
      ['iid', 0, 'start'],
      ['continual', 25, 'test switch'],
    ]);
    expect(memory.snapshot().regimes.current).toBe('continual');
  }, 60_000);
});
