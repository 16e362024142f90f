import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { removeStaleTempFiles } from '@siamwatch/embedding-io';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog, readMetrics } from './metrics-log.ts';
import { defaultRunDir, openRunDirectory } from './run-directory.ts';

describe('MetricsLog', () => {
  it('appends lines and truncates past a step, torn last line included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-metrics-'));
    const log = new MetricsLog(join(dir, 'metrics.jsonl'));
    for (let step = 1; step <= 6; step++) log.append({ step, loss: -step / 10 });
    log.append({ step: 4, epoch: 1, linearProbeAccuracy: 0.5 });
    appendFileSync(log.path, '{"step": 7, "lo');
    expect(log.truncateAfter(4)).toBe(3);
    const records = readMetrics(log.path);
    expect(records.map((r) => r.step)).toEqual([1, 2, 3, 4, 4]);
    log.append({ step: 5, loss: -0.5 });
    expect(readFileSync(log.path, 'utf8').endsWith('{"step":5,"loss":-0.5}\n')).toBe(true);
    log.close();
  });
});

describe('openRunDirectory', () => {
  it('creates the layout and writes config and summary atomically', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'siamwatch-run-')), 'run');
    const run = openRunDirectory(dir);
    run.writeConfig({ seed: 1 });
    expect(run.readConfig()).toEqual({ seed: 1 });
    expect(readFileSync(run.configPath, 'utf8')).toContain('"seed": 1');
    expect(defaultRunDir(new Date('2026-01-02T03:04:05.678Z'))).toBe(join('runs', '2026-01-02T030405Z'));
  });

  it('removes temp files a killed writer left behind, and nothing else', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'siamwatch-run-')), 'run');
    const first = openRunDirectory(dir);
    writeFileSync(join(first.checkpointsDir, '.step-000000010.ckpt.4242.0.tmp'), 'torn');
    writeFileSync(join(first.checkpointsDir, 'step-000000005.ckpt'), 'kept');
    writeFileSync(join(dir, '.summary.json.4242.3.tmp'), 'torn');
    openRunDirectory(dir);
    expect(readdirSync(first.checkpointsDir)).toEqual(['step-000000005.ckpt']);
    expect(readdirSync(dir).sort()).toEqual(['checkpoints']);
    expect(removeStaleTempFiles(dir)).toBe(0);
  });
});
