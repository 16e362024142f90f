import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listCheckpoints } from '../run/checkpoint.ts';
import { readMetrics, type MetricsRecord } from '../run/metrics-log.ts';
import { finalCheckpoint, killAtFirstCheckpoint, tensorDifferences } from './kill-resume-harness.ts';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/siamwatch.js');

/** A tiny, fast setting: synthetic 8x8 images, MLP backbone, 512 training images, batch 32. */
const TINY = [
  'train', '--dataset', 'synthetic', '--image-size', '8', '--max-train', '512', '--max-test', '256',
  '--backbone', 'mlp', '--depth', '1', '--width', '64', '--batch-size', '32',
  '--probe-train', '256', '--probe-test', '256', '--backend', 'wasm', '--seed', '5', '--log-format', 'json',
];

function run(args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
}

const withoutTiming = (records: MetricsRecord[]) => records.map(({ imagesPerSecond: _i, evalSeconds: _e, ...rest }) => rest);


describe('siamwatch train (CLI)', () => {
  it('trains a short run and writes metrics.jsonl and summary.json', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-cli-')), 'run');
    const result = run([...TINY, '--epochs', '3', '--eval-every', '1', '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/"backend":"wasm"/);
    expect(result.stdout).toMatch(/"paramCount":\d+/);
    expect(result.stdout).toMatch(/linear probe accuracy [\d.]+% {2}kNN accuracy [\d.]+% {2}AUC 0\.\d+/);
    const records = readMetrics(join(out, 'metrics.jsonl'));
    const steps = records.filter((r) => r['type'] === 'step');
    expect(steps).toHaveLength(48);
    for (const key of ['step', 'loss', 'lr', 'imagesPerSecond', 'regime']) expect(steps[0]).toHaveProperty(key);
    const evals = records.filter((r) => r['type'] === 'evaluation');
    expect(evals.map((r) => r['epoch'])).toEqual([0, 1, 2, 3]);
    for (const key of ['linearProbeAccuracy', 'knnAccuracy', 'backbone', 'projector']) expect(evals[1]).toHaveProperty(key);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Record<string, unknown>;
    for (const key of ['linearProbeAccuracy', 'knnAccuracy', 'auc', 'backend', 'imagesPerSecond', 'paramCount', 'steps', 'seconds', 'rankme', 'regimeHistory']) {
      expect(summary).toHaveProperty(key);
    }
    expect(summary['backend']).toBe('wasm');
    expect(summary['steps']).toBe(48);
    expect(summary['linearProbeAccuracy'] as number).toBeGreaterThan(0.3); // 10 classes: chance is 0.1
    expect(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'))).toMatchObject({ batchSize: 32, seed: 5 });
  }, 120_000);

  it('resumes a SIGKILLed run to the same final weights and metrics as an uninterrupted run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-kill-'));
    const common = [...TINY, '--epochs', '10', '--eval-every', '4', '--checkpoint-every', '30', '--checkpoint-seconds', '0'];
    const full = join(root, 'full');
    expect(run([...common, '--out', full]).status).toBe(0);

    const killed = join(root, 'killed');
    const kill = await killAtFirstCheckpoint(BIN, common, killed);
    expect(kill.signal).toBe('SIGKILL');
    expect(existsSync(join(killed, 'summary.json'))).toBe(false);
    const killedAt = kill.step;
    expect(killedAt).toBeLessThan(160);

    const resumed = run(['train', '--out', killed, '--resume', '--log-format', 'json']);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('"event":"resume"');
    const a = finalCheckpoint(full);
    const b = finalCheckpoint(killed);
    expect(b.step).toBe(160);
    expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
    for (const [name, worst] of Object.entries(tensorDifferences(a, b))) expect(worst, name).toBeLessThanOrEqual(1e-6);
    const fullMetrics = withoutTiming(readMetrics(join(full, 'metrics.jsonl')));
    const resumedMetrics = withoutTiming(readMetrics(join(killed, 'metrics.jsonl')));
    expect(resumedMetrics).toHaveLength(fullMetrics.length);
    expect(resumedMetrics).toEqual(fullMetrics);
  }, 240_000);

  it('saves a checkpoint and exits 130 on SIGINT, 143 on SIGTERM', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-signal-')), 'run');
    const stopWith = async (args: string[], signal: NodeJS.Signals, afterSteps: number) => {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const code = new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
      const metrics = join(out, 'metrics.jsonl');
      const timer = setInterval(() => {
        const steps = existsSync(metrics) ? readFileSync(metrics, 'utf8').split('\n').filter((l) => l.includes('"type":"step"')).length : 0;
        if (steps >= afterSteps) {
          clearInterval(timer);
          child.kill(signal);
        }
      }, 10);
      const exitCode = await code;
      clearInterval(timer);
      return { exitCode, stdout };
    };
    const first = await stopWith([...TINY, '--epochs', '30', '--eval-every', '0', '--checkpoint-every', '0', '--checkpoint-seconds', '0', '--out', out], 'SIGINT', 5);
    expect(first.exitCode).toBe(130);
    expect(first.stdout).toContain('"event":"checkpoint"');
    expect(first.stdout).toContain('"reason":"stop"');
    const stoppedAt = listCheckpoints(join(out, 'checkpoints')).at(-1)!.step;
    expect(stoppedAt).toBeGreaterThanOrEqual(5);
    expect(stoppedAt).toBeLessThan(480);
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const second = await stopWith(['train', '--out', out, '--resume', '--log-format', 'json'], 'SIGTERM', stoppedAt + 3);
    expect(second.exitCode).toBe(143);
    expect(listCheckpoints(join(out, 'checkpoints')).at(-1)!.step).toBeGreaterThan(stoppedAt);
  }, 120_000);

  it('rejects bad flags with a ConfigError naming the field and value', () => {
    const result = run(['train', '--dataset', 'synthetic', '--batch-size', '-3']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/ConfigError: .*batchSize.*-3/);
    const file = join(mkdtempSync(join(tmpdir(), 'siamwatch-cfg-')), 'config.json');
    writeFileSync(file, JSON.stringify({ method: 'moco' }));
    const bad = run(['train', '--config', file]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/ConfigError: .*method.*"moco"/);
  });

  it('refuses to resume from a corrupt checkpoint with a CheckpointError naming the file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-corrupt-')), 'run');
    expect(run([...TINY, '--steps', '12', '--eval-every', '0', '--checkpoint-every', '6', '--out', out]).status).toBe(0);
    const last = listCheckpoints(join(out, 'checkpoints')).at(-1)!.file;
    const bytes = readFileSync(last);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(last, bytes);
    const result = run(['train', '--out', out, '--resume']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CheckpointError');
    expect(result.stderr).toContain(last);
  }, 120_000);
});
