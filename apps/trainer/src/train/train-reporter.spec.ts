import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import type { TrainSummary } from '../run/run-directory.ts';
import { createTrainReporter } from './train-reporter.ts';

const summary: TrainSummary = {
  linearProbeAccuracy: 0.9123,
  knnAccuracy: 0.88,
  auc: 0.7461,
  rankme: 39,
  projectorAuc: 0.86,
  normalizedStd: 0.06,
  projectorNormalizedStd: 0.05,
  backend: 'wasm',
  imagesPerSecond: 250,
  paramCount: 1234,
  steps: 10,
  epochs: 1,
  seconds: 3,
  finalLoss: -0.7,
  regimeHistory: [],
};

function capture(stream: NodeJS.WriteStream): string[] {
  const lines: string[] = [];
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

describe('createTrainReporter (pretty, no TTY)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints backend and parameter count first and the probe figures last', async () => {
    const out = capture(process.stdout);
    const err = capture(process.stderr);
    const reporter = createTrainReporter('pretty', false);
    const start = { config: parseTrainConfig({}), runDir: 'runs/x', backend: 'wasm', paramCount: 1234, numTrain: 640, stepsPerEpoch: 10, totalSteps: 10, startStep: 0, resumed: false, model: undefined as never, data: undefined as never };
    await reporter.hooks.onStart?.(start);
    for (let step = 1; step <= 10; step++) {
      await reporter.hooks.onStep?.({ step, epoch: step / 10, totalSteps: 10, loss: -step / 20, lr: 0.1, imagesPerSecond: 200, regime: 'iid', seenExamples: 64 * step });
    }
    reporter.logger.warn({ metricsPort: 1 }, 'unserved');
    reporter.finish({ status: 'finished', step: 10, totalSteps: 10, runDir: 'runs/x', summary });
    expect(out[0]).toBe('backend wasm, 1234 parameters, 10 steps, run runs/x\n');
    expect(out.at(-1)).toBe('linear probe accuracy 91.2%  kNN accuracy 88.0%  AUC 0.746  (run: runs/x)\n');
    expect(err.filter((l) => l.startsWith('step '))).toHaveLength(10);
    expect(err.some((l) => l.startsWith('warning: unserved metricsPort=1'))).toBe(true);
  });

  it('tells how to resume a stopped run', () => {
    const out = capture(process.stdout);
    createTrainReporter('pretty', false).finish({ status: 'stopped', step: 4, totalSteps: 10, runDir: 'runs/y', stopReason: 'SIGINT' });
    expect(out.at(-1)).toBe('stopped at step 4/10 (SIGINT); resume with --resume --out runs/y\n');
  });
});
