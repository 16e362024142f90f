import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calibrationRunOf, trajectoryRecords } from './calibration-run-of.ts';
import { writeFakeRun } from './fake-run-directory.ts';
import { compareRegimes } from './regime-comparison.ts';
import { finalResultOf, readRunDirectory, readRuns } from './run-directory.ts';

const root = mkdtempSync(join(tmpdir(), 'siamwatch-calib-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const groups = ['data-size', 'regime'];
for (const [g, group] of groups.entries()) {
  for (let i = 0; i < 10; i++) {
    const regime = group === 'regime' ? (['iid', 'continual', 'hybrid', 'iid'] as const)[i % 4] : 'iid';
    writeFakeRun(root, { id: `${group}--k-${i}--s${i % 2}`, seed: 100 * g + i, finalAuc: 0.62 + 0.03 * i + 0.01 * g, regime, monitor: group === 'regime' && i % 4 === 3 ? 'act' : 'off' });
  }
}

describe('run directories for the calibration and the report', () => {
  it('adapts evaluation records into label-free check records in the monitor convention', () => {
    const run = readRunDirectory(join(root, 'data-size--k-3--s1'));
    const records = trajectoryRecords(run);
    expect(records.map((r) => r['step'])).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80]);
    expect(records.every((r) => r['linearProbeAccuracy'] === undefined && r['totalSteps'] === 80)).toBe(true);
    const backbone = records[4]['backbone'] as { normalizedStd: number; dim: number };
    // rescaled by sqrt(d): ~0.9 healthy instead of ~0.9 / sqrt(d)
    expect(backbone.normalizedStd).toBeGreaterThan(0.5);
    const cal = calibrationRunOf(run);
    expect(cal.checks).toHaveLength(9);
    expect(cal.dataSize).toBe(3000);
    expect(cal.finalLinearProbeAccuracy).toBe(run.summary['linearProbeAccuracy']);
    expect(Number.isNaN(cal.checks[0].loss)).toBe(true);
    expect(cal.checks[1].loss).toBeLessThan(0);
  });

  it('prefers the live monitor check records when the run logged them', () => {
    const run = readRunDirectory(join(root, 'data-size--k-3--s1'));
    const sparse = [10, 20, 30].map((step) => ({ type: 'monitor', step, totalSteps: 80, loss: -0.5, backbone: { auc: 0.7, rankme: 9 } }));
    // checks thinned by the monitor's cost governor miss the later anchors: the evaluations are used
    expect(trajectoryRecords({ ...run, records: [...run.records, ...sparse] }).every((r) => r['type'] === undefined)).toBe(true);
    const monitor = [8, 16, 28, 40, 60, 80].map((step) => ({ type: 'monitor', step, totalSteps: 80, regime: 'multi-epoch', loss: -0.5, backbone: { auc: 0.7, rankme: 9, normalizedStd: 0.8, dim: 16 }, forecast: { point: 0.9 } }));
    const records = trajectoryRecords({ ...run, records: [...run.records, ...monitor] });
    expect(records.map((r) => r['type'])).toEqual(new Array(6).fill('monitor'));
    const cal = calibrationRunOf({ ...run, records: [...run.records, ...monitor] });
    expect(cal.checks.map((c) => c.step)).toEqual([8, 16, 28, 40, 60, 80]);
    expect(cal.checks[0].backbone?.normalizedStd).toBe(0.8);
  });

  it('takes the last evaluation of a run the monitor stopped early, and never calibrates on it', () => {
    const run = readRunDirectory(join(root, 'regime--k-1--s1'));
    const stopped = { ...run, summary: { status: 'stopped', steps: 40, regimeHistory: [] } };
    const last = run.records.filter((r) => r['type'] === 'evaluation').at(-1);
    expect(finalResultOf(stopped)).toEqual({ linearProbe: last?.['linearProbeAccuracy'], knn: last?.['knnAccuracy'], auc: (last?.['backbone'] as { auc: number }).auc, stoppedEarly: true });
    expect(finalResultOf(run).stoppedEarly).toBe(false);
    expect(() => calibrationRunOf(stopped)).toThrow(/linearProbeAccuracy/);
  });

  it('compares regimes by arm with the spread over seeds', () => {
    const rows = compareRegimes(readRuns([root]).filter((r) => r.group === 'regime'));
    expect(rows.map((r) => r.arm)).toEqual(['multi-epoch (iid)', 'continual', 'hybrid (fixed, switch at 50%)', 'hybrid (monitor-driven)']);
    expect(rows[0].seeds).toBe(3);
    expect(rows[0].linearProbe.sd).toBeGreaterThan(0);
    expect(rows[2].switches[0]).toMatch(/iid at step 40/);
    expect(rows[3].monitorActive).toBe(false);
  });
});
