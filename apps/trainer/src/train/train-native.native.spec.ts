/**
 * The trainer on the native TensorFlow backend (`@tensorflow/tfjs-node`, built by `npm run native:install`), end to
 * end through the CLI: the same seeded run on wasm and on native gives the same losses and probe accuracies
 * (SimSiam and BYOL, a residual CNN with stride-2 stages: every op of both methods forward and backward, the
 * augmentations, evaluation and probes), and a SIGKILLed native run resumes to the uninterrupted run's weights.
 * Runs only where the native specs are switched on (vitest.config.ts); there a binding that does not load fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMetrics } from '../run/metrics-log.ts';
import { finalCheckpoint, killAtFirstCheckpoint, tensorDifferences } from './kill-resume-harness.ts';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/siamwatch.js');

/** Synthetic 12x12, residual CNN (one block per stage, stride-2 stages), batch 32, eval at the end only. */
const SMALL = [
  'train', '--dataset', 'synthetic', '--image-size', '12', '--max-train', '256', '--max-test', '256',
  '--backbone', 'resnet', '--depth', '1', '--width', '0.5', '--batch-size', '32', '--eval-every', '0',
  '--probe-train', '256', '--probe-test', '256', '--seed', '3', '--log-format', 'json',
];

/**
 * Losses: the float paths differ (XNNPACK vs Eigen/oneDNN), and the gap grows chaotically with the steps, so the
 * first steps are held tight and the rest loosely. Measured (wasm vs native): SimSiam (losses ~1e-2) <= 4e-6 over
 * 24 steps; BYOL (losses ~2) <= 2e-6 over 4 steps, 2e-5 at step 8, 3e-3 by step 10 (wasm vs the cpu backend's
 * reference kernels: the same spread). A wrong kernel shows at step 1.
 */
const EARLY_STEPS = 4;
const EARLY_TOLERANCE = 2e-5;
const LOSS_TOLERANCE = 1e-3;
/**
 * Probe accuracies (linear probe, kNN; 256 test images, so one image is 0.4 points) agree within this many points.
 * Measured: SimSiam 24 steps identical; BYOL 12 steps 0.4 / 2.0 points (wasm vs the cpu backend: 2.3 / 0.8).
 */
const ACCURACY_POINTS = 4;

function train(args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 300_000 });
  expect(result.status, result.stderr).toBe(0);
  return result;
}

function summaryOf(dir: string): Record<string, number | string> {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, number | string>;
}

function lossesOf(dir: string): number[] {
  return readMetrics(join(dir, 'metrics.jsonl'))
    .filter((r) => r['type'] === 'step')
    .map((r) => r['loss'] as number);
}

describe('siamwatch train --backend tensorflow (native)', () => {
  for (const [method, steps] of [['simsiam', 16], ['byol', 8]] as const) {
    it(`${method}: the same seeded run on wasm and on native gives the same losses and probe accuracies`, () => {
      const root = mkdtempSync(join(tmpdir(), `siamwatch-native-${method}-`));
      const args = [...SMALL, '--method', method, '--steps', String(steps)];
      const native = train([...args, '--backend', 'tensorflow', '--out', join(root, 'native')]);
      expect(native.stdout).toContain('backend: using @tensorflow/tfjs-node');
      train([...args, '--backend', 'wasm', '--out', join(root, 'wasm')]);
      const a = lossesOf(join(root, 'wasm'));
      const b = lossesOf(join(root, 'native'));
      expect(b).toHaveLength(steps);
      const gaps = a.map((x, i) => Math.abs(x - b[i]!));
      expect(Math.max(...gaps.slice(0, EARLY_STEPS))).toBeLessThan(EARLY_TOLERANCE);
      expect(Math.max(...gaps)).toBeLessThan(LOSS_TOLERANCE);
      expect(b.every(Number.isFinite)).toBe(true);
      const sw = summaryOf(join(root, 'wasm'));
      const sn = summaryOf(join(root, 'native'));
      expect(sn['backend']).toBe('tensorflow');
      expect(sw['backend']).toBe('wasm');
      for (const key of ['linearProbeAccuracy', 'knnAccuracy']) {
        expect(Math.abs((sw[key] as number) - (sn[key] as number)) * 100, key).toBeLessThanOrEqual(ACCURACY_POINTS);
      }
      expect(Math.abs((sw['auc'] as number) - (sn['auc'] as number))).toBeLessThan(1e-2);
    }, 600_000);
  }

  it('resumes a SIGKILLed native run to the uninterrupted run (weights within 1e-4, same losses)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-native-kill-'));
    const common = [...SMALL, '--backend', 'tensorflow', '--steps', '40', '--checkpoint-every', '10', '--checkpoint-seconds', '0'];
    const full = join(root, 'full');
    train([...common, '--out', full]);
    const killed = join(root, 'killed');
    const kill = await killAtFirstCheckpoint(BIN, common, killed);
    expect(kill.signal).toBe('SIGKILL');
    expect(kill.step).toBeLessThan(40);
    expect(existsSync(join(killed, 'summary.json'))).toBe(false);
    const resumed = train(['train', '--out', killed, '--resume', '--log-format', 'json']);
    expect(resumed.stdout).toContain('"event":"resume"');
    const a = finalCheckpoint(full);
    const b = finalCheckpoint(killed);
    expect(b.step).toBe(40);
    for (const [name, worst] of Object.entries(tensorDifferences(a, b))) expect(worst, name).toBeLessThanOrEqual(1e-4);
    const gaps = lossesOf(full).map((x, i) => Math.abs(x - lossesOf(killed)[i]!));
    expect(Math.max(...gaps)).toBeLessThan(1e-5);
    expect(summaryOf(killed)['backend']).toBe('tensorflow');
  }, 600_000);

  it('refuses --workers 2 with --backend tensorflow (worker replicas are wasm) with a ConfigError naming it', () => {
    const result = spawnSync(process.execPath, [BIN, ...SMALL, '--backend', 'tensorflow', '--workers', '2', '--steps', '2'], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ConfigError: workers: 2 worker threads are wasm replicas and cannot run backend "tensorflow"/);
  });
});
