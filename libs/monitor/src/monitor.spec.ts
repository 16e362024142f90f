import { describe, expect, it } from 'vitest';
import { calibrationRunFromMetricsLines } from './calibration-run-from-metrics.ts';
import { readFileSync } from 'node:fs';
import { loadCalibration, PLACEHOLDER_CALIBRATION_URL } from './load-calibration.ts';
import { createMonitor as createMonitorWith, metricsRecord, type Monitor } from './monitor.ts';
import type { MonitorOptions } from './monitor-options.ts';
import { MonitorError } from './monitor-error.ts';
import { collapsingProfile, healthyProfile, simulateRun, type SimulationOptions } from './testing/synthetic-stream.ts';

const base: Omit<SimulationOptions, 'profile'> = { steps: 400, checkEvery: 20, batch: 32, d: 64, projector: true };
const partial = (p: number, d: number) => collapsingProfile(p, d, 0.4, 'partial');
const complete = (p: number, d: number) => collapsingProfile(p, d, 0.4, 'complete');

// These scenarios are tuned against the synthetic placeholder calibration (the synthetic streams below
// come from the same generator family), not the trainer-run calibration shipped as the default.
const placeholder = loadCalibration(readFileSync(PLACEHOLDER_CALIBRATION_URL, 'utf8'));
const createMonitor = (options: MonitorOptions = {}): Monitor => createMonitorWith({ calibration: placeholder, ...options });

describe('createMonitor', () => {
  it('is due every checkEvery steps and ships the placeholder calibration by default', () => {
    const monitor = createMonitor();
    expect([0, 99, 100, 150, 200].map((s) => monitor.due(s))).toEqual([false, false, true, false, true]);
    expect(monitor.calibration.provenance).toBe('synthetic-placeholder');
    expect(monitor.state).toBe('healthy');
  });

  it('a healthy run with noisy first checks (AUC ~0.65 -> ~0.78) never leaves healthy nor switches', () => {
    for (const seed of [1]) {
      const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 512 } });
      const checks = simulateRun(monitor, { ...base, profile: healthyProfile, noisyChecks: 3, seed });
      expect(checks).toHaveLength(20);
      const early = checks[3].metrics.backbone!.auc;
      expect(early).toBeLessThan(0.74);
      expect(checks[19].metrics.backbone!.auc).toBeGreaterThan(0.76);
      expect(checks[19].metrics.backbone!.auc - early).toBeGreaterThan(0.04);
      expect(checks.every((c) => c.onset.state === 'healthy' && !c.onset.transition)).toBe(true);
      expect(checks.every((c) => c.decision.decision === 'continue')).toBe(true);
      expect(checks[19].forecast.point).toBeGreaterThan(checks[5].forecast.point);
    }
  });

  it('is method-aware: a calibration without BYOL warns at start; the BYOL loss floor is 0, not -1', () => {
    expect(createMonitor().warnings).toEqual([]);
    const byol = createMonitor({ checkEvery: 1, maxOverhead: 1, context: { method: 'byol' } });
    expect(byol.warnings).toEqual([expect.stringMatching(/holds no byol run \(methods: simsiam\): forecast intervals are widened 2x/)]);
    // BYOL's 2 - 2 cos near 0 is near its floor; the same loss read as SimSiam's -cos is far from -1
    const feed = (monitor: ReturnType<typeof createMonitor>) => {
      for (let step = 1; step <= 8; step++) {
        monitor.observe({ step, loss: 0.002 });
        monitor.check({ step, totalSteps: 100, regime: 'iid' });
      }
      return monitor.checks.at(-1)!.onset.evidence.map((e) => e.signal);
    };
    expect(feed(byol)).toContain('loss-near-floor');
    expect(feed(createMonitor({ checkEvery: 1, maxOverhead: 1 }))).not.toContain('loss-near-floor');
  });

  it('a partial collapse in iid training is flagged after the evidence window and switches to continual (harm rule off)', () => {
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 512 }, decision: { harmDrop: 0 } });
    const checks = simulateRun(monitor, { ...base, profile: partial });
    const onsetCheck = checks.findIndex((c) => c.step / 400 > 0.4);
    const firstEvidence = checks.findIndex((c) => c.onset.level >= 1);
    const suspect = checks.findIndex((c) => c.onset.state === 'suspect');
    const collapsing = checks.findIndex((c) => c.onset.state === 'collapsing');
    expect(firstEvidence).toBeGreaterThan(onsetCheck);
    expect(suspect).toBe(firstEvidence + 2);
    expect(collapsing).toBeGreaterThan(suspect);
    const decision = checks[collapsing].decision;
    expect(decision).toMatchObject({ decision: 'switch-to-continual', action: 'none', step: checks[collapsing].step });
    expect(decision.evidence.map((e) => e.name)).toContain('backbone.rank-drop');
    expect(checks[collapsing].onset.transition).toMatchObject({ from: 'suspect', to: 'collapsing' });
    expect(checks.slice(0, collapsing).every((c) => c.decision.decision === 'continue')).toBe(true);
  });

  it('a harmful partial collapse (suspect, forecast falling below its own best) reaches an early stop', () => {
    // sizes like the calibration runs': the forecast is trusted (a run that gives none counts as extrapolated)
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 512 }, context: { modelParams: 6_000_000, dataSize: 10_000 } });
    const checks = simulateRun(monitor, { ...base, profile: partial });
    const decided = checks.find((c) => c.decision.decision !== 'continue')!;
    expect(decided.decision.decision).toBe('early-stop');
    expect(decided.decision.reason).toMatch(/harmful partial collapse/);
    expect(decided.onset.state).not.toBe('healthy');
    expect(decided.onset.severe).toBe(false);
    const drop = decided.decision.evidence.find((e) => e.name === 'forecastDrop')!;
    expect(drop.value).toBeGreaterThanOrEqual(drop.threshold);
  });

  it('act turns the decision into an action; a complete collapse is an early stop', () => {
    const acting = createMonitor({ checkEvery: 20, maxOverhead: 1, policy: 'act', sampling: { capacity: 512 }, decision: { harmDrop: 0 } });
    const switched = simulateRun(acting, { ...base, profile: partial }).find((c) => c.decision.decision !== 'continue')!;
    expect(switched.decision).toMatchObject({ decision: 'switch-to-continual', action: 'switch-to-continual' });
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 512 } });
    const stopped = simulateRun(monitor, { ...base, profile: complete }).find((c) => c.decision.decision !== 'continue')!;
    expect(stopped.decision.decision).toBe('early-stop');
    expect(stopped.onset.severe).toBe(true);
    expect(stopped.metrics.backbone!.normalizedStd).toBeLessThan(0.05);
  });

  it('in continual training, a healthy stable spectrum leads to switch-to-iid', () => {
    // The placeholder calibration's forecast keeps rising ~0.01 per check with progress alone,
    // so this test widens the flatness tolerance; the rule itself is covered in decision-policy.spec.ts.
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, policy: 'act', sampling: { capacity: 512 }, decision: { forecastFlatness: 0.06 } });
    const steady = (_p: number, d: number) => ({ ...healthyProfile(1, d) });
    const checks = simulateRun(monitor, { ...base, steps: 300, profile: steady, regime: 'continual' });
    const switched = checks.find((c) => c.decision.decision === 'switch-to-iid');
    expect(switched).toBeDefined();
    expect(switched!.decision.action).toBe('switch-to-iid');
    expect(checks.indexOf(switched!)).toBeGreaterThanOrEqual(8);
  });

  it('check records round-trip through calibrationRunFromMetricsLines', () => {
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 256 }, context: { modelParams: 5e5 } });
    const checks = simulateRun(monitor, { ...base, steps: 200, profile: healthyProfile });
    const lines = JSON.parse(JSON.stringify([...checks.map(metricsRecord), { linearProbeAccuracy: 0.9 }]));
    const run = calibrationRunFromMetricsLines(lines);
    expect(run.checks).toHaveLength(10);
    expect(run.checks[3].backbone!.auc).toBeCloseTo(checks[3].metrics.backbone!.auc, 12);
    expect(run.checks[3].projector!.rankme).toBeCloseTo(checks[3].metrics.projector!.rankme, 12);
    expect(run.finalLinearProbeAccuracy).toBe(0.9);
  });

  it('the cost governor skips due checks while the last check exceeded its share of wall time', () => {
    const run = (maxOverhead: number) => {
      const monitor = createMonitor({ checkEvery: 1, maxOverhead, sampling: { capacity: 256 } });
      monitor.observe({ step: 1, loss: -0.5, backbone: { data: new Float32Array(64 * 8).map((_, i) => Math.sin(i)), n: 64, d: 8 } });
      expect(monitor.due(1)).toBe(true);
      monitor.check({ step: 1, totalSteps: 10, regime: 'iid' });
      return monitor.due(2);
    };
    expect(run(1e-6)).toBe(false);
    expect(run(1)).toBe(true);
  });

  it('restore replays metrics.jsonl records so a restarted run keeps its onset state', () => {
    const first = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 512 } });
    const checks = simulateRun(first, { ...base, profile: partial });
    expect(first.state).toBe('collapsing');
    const lines = JSON.parse(JSON.stringify([{ event: 'start' }, ...checks.map(metricsRecord)]));
    const restarted = createMonitor({ checkEvery: 20, maxOverhead: 1 });
    expect(restarted.restore(lines)).toBe(checks.length);
    expect(restarted.state).toBe('collapsing');
    expect(restarted.checks).toHaveLength(0);
    const partly = createMonitor({ checkEvery: 20, maxOverhead: 1 });
    partly.restore(lines.slice(0, 6));
    expect(partly.state).toBe('healthy');
    expect(() => first.restore(lines)).toThrow(/restore must come before the first check, but 20 checks exist/);
  });

  it('reports its own cost and the observe calls since the previous check', () => {
    const monitor = createMonitor({ checkEvery: 20, maxOverhead: 1, sampling: { capacity: 256 } });
    const checks = simulateRun(monitor, { ...base, steps: 60, profile: healthyProfile });
    for (const c of checks) {
      expect(c.timing.observeCalls).toBe(20);
      expect(c.timing.checkMs).toBeGreaterThan(0);
      expect(c.timing.observeMs).toBeGreaterThan(0);
    }
  });

  it('rejects bad observations, checks and options with typed errors', () => {
    const monitor = createMonitor();
    expect(() => monitor.observe({ step: 3, loss: Number.NaN })).toThrow(/loss at step 3 must be finite, got NaN/);
    expect(() => monitor.check({ step: 10, totalSteps: 0, regime: 'iid' })).toThrow(MonitorError);
    expect(() => createMonitor({ checkEvery: 0 })).toThrow(/checkEvery must be a finite number in \[1, 1000000000\], got 0/);
    expect(() => createMonitor({ forecastLevel: 1 })).toThrow(/forecastLevel/);
  });
});
