import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readMetrics } from '../run/metrics-log.ts';

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/siamwatch.js');

/**
 * The stop-gradient ablation setting (stop-gradient-collapse.spec.ts): synthetic 8x8 images, MLP
 * backbone, lr 3, 300 steps of batch 64. Without stop-gradient the projector output collapses onto a
 * line; with it the run stays healthy. Both run through the CLI with `--monitor act`.
 */
const SETTING = [
  'train', '--dataset', 'synthetic', '--image-size', '8', '--max-train', '1000', '--max-test', '256',
  '--backbone', 'mlp', '--depth', '1', '--width', '64', '--batch-size', '64', '--steps', '300', '--lr', '3',
  '--probe-train', '256', '--probe-test', '256', '--backend', 'wasm', '--seed', '11', '--log-format', 'json',
  '--checkpoint-every', '0', '--checkpoint-seconds', '0', '--monitor', 'act',
];

function train(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

type Summary = { status?: string; stopped?: string; regimeHistory: { step: number; regime: string; reason: string }[]; decisions: { step: number; decision: string; applied: boolean }[]; forecastAtHalf: { step: number; point: number; low: number; high: number } };

async function runMonitored(extra: string[]) {
  const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-monitor-')), 'run');
  const result = await train([...SETTING, ...extra, '--out', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const checks = readMetrics(join(out, 'metrics.jsonl')).filter((r) => r['type'] === 'monitor');
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  return { checks, summary, stdout: result.stdout };
}

describe('siamwatch train --monitor act (CLI)', () => {
  it('detects the collapse of SimSiam without stop-gradient and switches the regime live', async () => {
    const { checks, summary } = await runMonitored(['--no-stop-gradient']);
    expect(checks.length).toBeGreaterThanOrEqual(6);
    for (const check of checks) {
      expect(['continue', 'early-stop', 'switch-to-continual', 'switch-to-iid']).toContain(check['decision']);
      expect(typeof check['reason']).toBe('string');
      const f = check['forecast'] as { point: number; low: number; high: number };
      expect(f.low).toBeLessThanOrEqual(f.point);
      expect(f.point).toBeLessThanOrEqual(f.high);
    }
    const acted = checks.find((c) => c['decision'] === 'switch-to-continual' || c['decision'] === 'early-stop');
    expect(acted, 'a collapse decision in metrics.jsonl').toBeDefined();
    expect(acted!['onsetState']).toBe('collapsing');
    expect(acted!['action']).toBe(acted!['decision']);
    expect(String(acted!['reason'])).toMatch(/collapse/);
    expect(summary.decisions[0]).toMatchObject({ step: acted!['step'], decision: acted!['decision'], applied: true });
    if (acted!['decision'] === 'switch-to-continual') {
      // Applied without a restart: the regime history records the monitor's switch at that check,
      // and the checks after it see the continual regime.
      expect(summary.regimeHistory.find((c) => c.reason.startsWith('monitor:'))).toMatchObject({ step: acted!['step'], regime: 'continual' });
      expect(checks.filter((c) => (c['step'] as number) > (acted!['step'] as number)).every((c) => c['regime'] === 'continual')).toBe(true);
    }
    // A later early stop (collapse goes on in continual training) ends the run at that check.
    const stop = checks.find((c) => c['decision'] === 'early-stop');
    if (stop) {
      expect(summary).toMatchObject({ status: 'stopped', stopped: `monitor: ${String(stop['reason'])}` });
      expect(checks.at(-1)!['step']).toBe(stop['step']);
    }
  }, 240_000);

  it('never acts on a healthy run (stop-gradient on), while the same detector is on', async () => {
    const { checks, summary, stdout } = await runMonitored([]);
    expect(checks.length).toBeGreaterThanOrEqual(6);
    expect(checks.map((c) => c['decision'])).toEqual(checks.map(() => 'continue'));
    expect(checks.some((c) => c['onsetState'] === 'collapsing')).toBe(false);
    expect(summary.decisions).toEqual([]);
    expect(summary.regimeHistory).toEqual([{ step: 0, regime: 'iid', reason: 'start' }]);
    expect(summary.forecastAtHalf.step).toBeGreaterThan(300 * 0.35);
    expect(summary.forecastAtHalf.step).toBeLessThan(300 * 0.65);
    expect(summary.forecastAtHalf.low).toBeLessThanOrEqual(summary.forecastAtHalf.point);
    expect(stdout).toMatch(/"event":"monitor","policy":"act"/);
  }, 240_000);
});
