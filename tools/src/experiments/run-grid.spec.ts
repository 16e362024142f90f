import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandAxes, type GridSpec } from './grid-spec.ts';
import { readManifest } from './manifest.ts';
import type { GridEvent } from './progress-reporter.ts';
import { runGrid, tfThreadsPerJob } from './run-grid.ts';
import { trainerEnv } from './run-trainer.ts';

const out = mkdtempSync(join(tmpdir(), 'siamwatch-grid-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const base = { dataset: 'synthetic', 'max-train': 128, 'max-test': 100, 'probe-train': 60, 'probe-test': 60, 'batch-size': 32, width: 0.25 };
const grid: GridSpec = {
  name: 'spec-tiny',
  description: 'two tiny synthetic runs and one that fails',
  runs: [
    ...expandAxes({ group: 'tiny', base, axes: { 'predictor-lr': [0.2] }, seeds: [0, 1], budget: { steps: 4, evaluations: 2 } }),
    // batch size 0 is rejected by the trainer's config validation: the run must fail without stopping the others
    ...expandAxes({ group: 'broken', base: { ...base, 'batch-size': 0 }, axes: {}, seeds: [0], budget: { steps: 4, evaluations: 2 } }),
  ],
};

describe('runGrid end to end (tiny synthetic runs)', () => {
  it('trains each run once, records the failure, writes the manifest and skips finished runs on rerun', async () => {
    // a checkpoint the trainer refuses (here: garbage) makes the resume fail; the runner starts that run afresh
    mkdirSync(join(out, 'tiny--predictor-lr-0.2--s1', 'checkpoints'), { recursive: true });
    writeFileSync(join(out, 'tiny--predictor-lr-0.2--s1', 'checkpoints', 'step-000000002.ckpt'), 'not a checkpoint');
    const events: GridEvent[] = [];
    const first = await runGrid(grid, { out, jobs: 2, report: (e) => events.push(e) });
    const runsOfS1 = events.filter((e) => e.kind === 'run' && e.id === 'tiny--predictor-lr-0.2--s1') as { resumed: boolean }[];
    expect(runsOfS1.map((e) => e.resumed)).toEqual([true, false]);
    const byId = Object.fromEntries(first.runs.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual(['broken--s0', 'tiny--predictor-lr-0.2--s0', 'tiny--predictor-lr-0.2--s1']);
    for (const id of ['tiny--predictor-lr-0.2--s0', 'tiny--predictor-lr-0.2--s1']) {
      expect(byId[id].status).toBe('done');
      const dir = join(out, id);
      const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { steps: number; linearProbeAccuracy: number };
      expect(summary.steps).toBe(4);
      expect(byId[id].result?.linearProbeAccuracy).toBe(summary.linearProbeAccuracy);
      const records = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type?: string; step: number });
      // evaluation at start, at step 2 and at the end (step 4)
      expect(records.filter((r) => r.type === 'evaluation').map((r) => r.step)).toEqual([0, 2, 4]);
      expect(byId[id].args).toContain('--predictor-lr');
    }
    expect(byId['broken--s0'].status).toBe('failed');
    expect(byId['broken--s0'].error).toMatch(/exit code/);
    expect(events.filter((e) => e.kind === 'fail')).toHaveLength(1);
    const onDisk = readManifest(join(out, 'manifest.json'));
    expect(onDisk?.runs.map((r) => r.status).sort()).toEqual(['done', 'done', 'failed']);
    expect(onDisk?.finishedAt).toBeDefined();

    const again: GridEvent[] = [];
    const second = await runGrid(grid, { out, jobs: 2, report: (e) => again.push(e) });
    expect(second.runs.filter((r) => r.status === 'skipped').map((r) => r.id).sort()).toEqual(['tiny--predictor-lr-0.2--s0', 'tiny--predictor-lr-0.2--s1']);
    expect(again.filter((e) => e.kind === 'run').map((e) => (e as { id: string }).id)).toEqual(['broken--s0']);
    expect(second.runs.find((r) => r.id === 'broken--s0')?.attempts).toBe(2);
    expect(existsSync(join(out, 'logs', 'broken--s0.log'))).toBe(true);
  }, 240_000);
});

describe('native TensorFlow threads per job', () => {
  it('splits the cores between native jobs and leaves wasm alone', () => {
    expect(tfThreadsPerJob('tensorflow', 2, 2)).toBe(1);
    expect(tfThreadsPerJob('tensorflow', 1, 2)).toBe(2);
    expect(tfThreadsPerJob('tensorflow-gpu', 3, 8)).toBe(2);
    expect(tfThreadsPerJob('tensorflow', 4, 2)).toBe(1);
    expect(tfThreadsPerJob('wasm', 2, 2)).toBeUndefined();
    expect(tfThreadsPerJob(undefined, 2, 2)).toBeUndefined();
  });

  it('passes them to the child unless the caller exported its own', () => {
    expect(trainerEnv({ PATH: '/bin' }, 1)).toEqual({ PATH: '/bin', TF_NUM_INTRAOP_THREADS: '1', TF_NUM_INTEROP_THREADS: '1', FORCE_COLOR: '0' });
    expect(trainerEnv({ TF_NUM_INTRAOP_THREADS: '2' }, 1).TF_NUM_INTRAOP_THREADS).toBe('2');
    expect(trainerEnv({ FORCE_COLOR: '1' })).toEqual({ FORCE_COLOR: '0' });
  });
});
