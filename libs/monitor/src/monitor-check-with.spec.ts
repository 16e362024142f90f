import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCalibration, PLACEHOLDER_CALIBRATION_URL } from './load-calibration.ts';
import { createMonitor } from './monitor.ts';
import { MonitorError } from './monitor-error.ts';
import { collapsingProfile, simulateRun } from './testing/synthetic-stream.ts';

const calibration = loadCalibration(readFileSync(PLACEHOLDER_CALIBRATION_URL, 'utf8'));
const options = { calibration, checkEvery: 20, maxOverhead: 1, policy: 'act' as const, sampling: { capacity: 512 } };

describe('Monitor.checkWith', () => {
  it('decides on metrics computed elsewhere exactly as check decides on its own samples', () => {
    const sampled = createMonitor(options);
    const complete = (p: number, d: number) => collapsingProfile(p, d, 0.4, 'complete');
    const checks = simulateRun(sampled, { steps: 400, checkEvery: 20, batch: 32, d: 64, projector: true, profile: complete });
    const replayed = createMonitor(options);
    const again = checks.map((c) => replayed.checkWith({ step: c.step, totalSteps: c.totalSteps, regime: c.regime }, c.metrics));
    expect(again.map((c) => c.decision.decision)).toEqual(checks.map((c) => c.decision.decision));
    expect(again.map((c) => c.onset.state)).toEqual(checks.map((c) => c.onset.state));
    expect(again.some((c) => c.decision.decision === 'early-stop')).toBe(true);
    expect(replayed.checks).toHaveLength(checks.length);
  });

  it('accepts an unknown (NaN) loss and refuses an infinite one', () => {
    const monitor = createMonitor(options);
    const check = monitor.checkWith({ step: 1, totalSteps: 10, regime: 'iid' }, { loss: Number.NaN });
    expect(check.decision.decision).toBe('continue');
    expect(() => monitor.checkWith({ step: 2, totalSteps: 10, regime: 'iid' }, { loss: Infinity })).toThrow(MonitorError);
    expect(() => monitor.checkWith({ step: 2, totalSteps: 0, regime: 'iid' }, { loss: 0 })).toThrow(/totalSteps > 0/);
  });
});
