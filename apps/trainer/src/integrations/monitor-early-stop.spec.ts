import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import { readMetrics } from '../run/metrics-log.ts';
import { startTrainExtensions } from '../train/train-extensions.ts';
import { createTrainer } from '../train/trainer.ts';
import { silentLogger } from '../train/trainer-deps.ts';
import { monitorExtension } from './monitor-extension.ts';
import { createIntegrationBus } from './train-integrations.ts';

describe('monitor extension with --monitor act on a run that keeps collapsing', () => {
  it('switches to continual, then stops the run early and records it in summary.json', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-early-stop-')), 'run');
    const config = parseTrainConfig({
      dataset: { name: 'synthetic', imageSize: 8, maxTrain: 1000, maxTest: 256 },
      backbone: { kind: 'mlp', depth: 2, width: 64 },
      batchSize: 64,
      steps: 300,
      baseLr: 3,
      stopGradient: false,
      eval: { atStart: false, probeTrain: 256, probeTest: 256 },
      checkpoint: { everySteps: 0, everySeconds: 0 },
      monitor: 'act',
      backend: 'wasm',
      seed: 11,
      out,
    });
    const trainer = createTrainer(config, { logger: silentLogger });
    // No cost governor: a check at every K-th step, so the decisions do not depend on the machine's load. The
    // spectrum-only collapse rules (harmDrop 0): this setting (MLP on 8x8 synthetic images) is unlike the shipped
    // calibration's, so its forecast is an extrapolation that the harm rules ignore.
    const close = await startTrainExtensions([monitorExtension({ bus: createIntegrationBus(), monitor: { maxOverhead: 1, decision: { harmDrop: 0 } } })], { config, trainer, logger: silentLogger, runDir: out });
    const result = await trainer.run();
    await close();

    const checks = readMetrics(join(out, 'metrics.jsonl')).filter((r) => r['type'] === 'monitor');
    const acted = checks.filter((c) => c['decision'] !== 'continue');
    expect(acted.map((c) => [c['decision'], c['action']])).toEqual([
      ['switch-to-continual', 'switch-to-continual'],
      ['early-stop', 'early-stop'],
    ]);
    const switched = acted[0]!;
    const stopped = acted[1]!;
    expect(result).toMatchObject({ status: 'stopped', step: stopped['step'], stopReason: `monitor: ${String(stopped['reason'])}` });
    expect(checks.at(-1)).toBe(stopped);
    expect(existsSync(result.checkpointFile!)).toBe(true);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      status: 'stopped',
      stopped: result.stopReason,
      steps: stopped['step'],
      totalSteps: 300,
      regimeHistory: [
        { step: 0, regime: 'iid', reason: 'start' },
        { step: switched['step'], regime: 'continual', reason: `monitor: ${String(switched['reason'])}` },
      ],
      decisions: [
        { step: switched['step'], decision: 'switch-to-continual', applied: true },
        { step: stopped['step'], decision: 'early-stop', applied: true },
      ],
    });
    const half = summary['forecastAtHalf'] as { step: number; low: number; point: number; high: number };
    expect(half.low).toBeLessThanOrEqual(half.point);
    expect(half.point).toBeLessThanOrEqual(half.high);
  }, 120_000);
});
