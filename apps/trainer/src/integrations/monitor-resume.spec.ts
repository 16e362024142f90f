import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig, type TrainConfigInput } from '../config/train-config.ts';
import { readMetrics } from '../run/metrics-log.ts';
import { startTrainExtensions } from '../train/train-extensions.ts';
import { createTrainer } from '../train/trainer.ts';
import type { TrainResult } from '../train/trainer-types.ts';
import { monitorExtension } from './monitor-extension.ts';
import { createIntegrationBus } from './train-integrations.ts';

const BASE: TrainConfigInput = {
  dataset: { name: 'synthetic', imageSize: 8, maxTrain: 512, maxTest: 128 },
  backbone: { kind: 'mlp', depth: 1, width: 32 },
  projectorDim: 64,
  projectorHiddenDim: 64,
  batchSize: 32,
  steps: 96,
  baseLr: 3,
  stopGradient: false,
  eval: { atStart: false, probeTrain: 128, probeTest: 128 },
  checkpoint: { everySteps: 0, everySeconds: 0 },
  monitor: 'observe',
  backend: 'wasm',
  seed: 4,
};

/** Trains `out` (optionally resuming) with the monitor extension; `stopAt` asks for a stop after that step. */
async function train(out: string, resume: boolean, stopAt?: number): Promise<{ result: TrainResult; lines: string[] }> {
  const config = parseTrainConfig({ ...BASE, out, resume });
  const lines: string[] = [];
  const logger = { info: (_o: object, msg?: string) => void lines.push(msg ?? ''), warn: (_o: object, msg?: string) => void lines.push(msg ?? '') };
  const trainer = createTrainer(config, { logger });
  // Every K-th step is checked (no cost governor), so both runs check at the same steps.
  const close = await startTrainExtensions([monitorExtension({ bus: createIntegrationBus(), monitor: { maxOverhead: 1, decision: { harmDrop: 0 } } })], { config, trainer, logger, runDir: out });
  if (stopAt !== undefined) trainer.addHooks({ onStep: (e) => void (e.step === stopAt && trainer.requestStop('test stop')) });
  try {
    return { result: await trainer.run(), lines };
  } finally {
    await close();
  }
}

const checksOf = (dir: string) => readMetrics(join(dir, 'metrics.jsonl')).filter((r) => r['type'] === 'monitor');

describe('monitor extension across --resume', () => {
  it('restores from metrics.jsonl so a stopped and resumed run checks exactly like an uninterrupted one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-monitor-resume-'));
    const full = await train(join(root, 'full'), false);
    expect(full.result.status).toBe('finished');
    const first = await train(join(root, 'resumed'), false, 48);
    expect(first.result.status).toBe('stopped');
    const second = await train(join(root, 'resumed'), true);
    expect(second.result.status).toBe('finished');
    expect(second.lines.some((l) => /^monitor: replayed (\d+) checks$/.test(l) && Number(/\d+/.exec(l)![0]) === checksOf(join(root, 'resumed')).filter((c) => (c['step'] as number) <= 48).length)).toBe(true);

    const expected = checksOf(join(root, 'full'));
    const got = checksOf(join(root, 'resumed'));
    expect(expected.length).toBeGreaterThanOrEqual(20);
    // The onset state, forecast and decision after the restart depend on the replayed history.
    expect(got).toEqual(expected);
    expect(new Set(expected.map((c) => c['onsetState'])).size).toBeGreaterThan(1);
    const summaryOf = (r: TrainResult) => ({ forecastAtHalf: r.summary!.forecastAtHalf, decisions: r.summary!.decisions });
    expect(summaryOf(second.result)).toEqual(summaryOf(full.result));
    expect(full.result.summary!.decisions!.length).toBeGreaterThan(0);
    expect(full.result.summary!.decisions!.every((d) => !d.applied)).toBe(true); // observe: advice only
  }, 120_000);
});
