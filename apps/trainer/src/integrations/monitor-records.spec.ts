import { createMonitor, type MonitorCheck } from '@siamwatch/monitor';
import { describe, expect, it } from 'vitest';
import { collapseRecordFromCheck, CollapseRecordError } from './collapse-records.ts';
import { forecastAtHalf, monitorLine, monitorRegimeOf, parseMonitorLine, reasonClassOf, telemetryDecisionOf } from './monitor-records.ts';

/** `n x d` rows on `rank` random directions plus a little noise (deterministic LCG). */
function embeddings(n: number, d: number, rank: number, seed: number): Float32Array {
  let s = seed;
  const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) - 0.5;
  const basis = Array.from({ length: rank }, () => Array.from({ length: d }, rand));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const w = basis.map(() => rand());
    for (let j = 0; j < d; j++) out[i * d + j] = basis.reduce((acc, b, r) => acc + w[r]! * b[j]!, 0) + 0.01 * rand();
  }
  return out;
}

function oneCheck(): MonitorCheck {
  const monitor = createMonitor({ checkEvery: 10, maxOverhead: 1 });
  monitor.observe({ step: 10, loss: -0.5, backbone: { data: embeddings(128, 16, 16, 1), n: 128, d: 16 }, projector: { data: embeddings(128, 32, 3, 2), n: 128, d: 32 } });
  return monitor.check({ step: 10, totalSteps: 100, regime: 'iid' });
}

describe('monitor records', () => {
  it('writes a metrics.jsonl line with decision, reason, action and forecast, and reads it back', () => {
    const check = oneCheck();
    const line = monitorLine(check);
    expect(line).toMatchObject({ type: 'monitor', step: 10, totalSteps: 100, regime: 'iid', decision: 'continue', action: 'none' });
    expect(typeof line['reason']).toBe('string');
    const parsed = parseMonitorLine(JSON.parse(JSON.stringify(line)) as Record<string, unknown>)!;
    expect(parsed.forecast).toEqual({ step: 10, point: check.forecast.point, low: check.forecast.low, high: check.forecast.high });
    expect(parsed.decision).toEqual({ step: 10, decision: 'continue', reason: check.decision.reason, applied: false });
    expect(parseMonitorLine({ type: 'step', step: 3 })).toBeUndefined();
  });

  it('converts the monitor std (times sqrt d) to the unscaled std the telemetry wants', () => {
    const check = oneCheck();
    const record = collapseRecordFromCheck(10, 'projector', check.metrics.projector!);
    expect(record.dimensions).toBe(32);
    expect(record.normalizedOutputStd).toBeCloseTo(check.metrics.projector!.normalizedStd / Math.sqrt(32), 12);
    expect(record.effectiveRank).toBe(check.metrics.projector!.rankme);
    expect(() => collapseRecordFromCheck(10, 'backbone', { ...check.metrics.backbone!, dim: 0 })).toThrow(CollapseRecordError);
    expect(() => collapseRecordFromCheck(10, 'backbone', { ...check.metrics.backbone!, dim: 0 })).toThrow(/dimension 0/);
  });

  it('maps decisions to telemetry decisions with a reason class', () => {
    const check = oneCheck();
    expect(telemetryDecisionOf(check)).toBeUndefined();
    const collapsing = { ...check, onset: { ...check.onset, state: 'collapsing' as const, severe: false } };
    const switched = { ...collapsing, decision: { ...check.decision, decision: 'switch-to-continual' as const, reason: 'collapse onset' } };
    expect(telemetryDecisionOf(switched)).toEqual({ step: 10, decision: 'switch_regime', regime: 'continual', reasonClass: 'collapse_onset', reason: 'collapse onset' });
    const severe = { ...switched, onset: { ...collapsing.onset, severe: true }, decision: { ...switched.decision, decision: 'early-stop' as const } };
    expect(telemetryDecisionOf(severe)).toMatchObject({ decision: 'early_stop', reasonClass: 'complete_collapse' });
    const back = { ...check, decision: { ...check.decision, decision: 'switch-to-iid' as const } };
    expect(telemetryDecisionOf(back)).toMatchObject({ decision: 'switch_regime', regime: 'iid', reasonClass: 'representation_stable' });
    expect(reasonClassOf({ ...check, decision: { ...check.decision, decision: 'early-stop' } })).toBe('forecast_plateau');
    const harm = { ...check.decision, decision: 'early-stop' as const, evidence: [{ name: 'forecastDrop', value: 0.06, threshold: 0.04 }] };
    expect(reasonClassOf({ ...check, decision: harm })).toBe('harmful_partial_collapse');
  });

  it('maps trainer regimes to monitor regimes and picks the forecast nearest half of training', () => {
    expect(monitorRegimeOf('iid', 100, 100)).toBe('iid');
    expect(monitorRegimeOf('iid', 400, 100)).toBe('multi-epoch');
    for (const r of ['continual', 'cumulative', 'last', 'hybrid']) expect(monitorRegimeOf(r, 400, 100)).toBe('continual');
    const f = (step: number) => ({ step, point: step / 1000, low: 0, high: 1 });
    expect(forecastAtHalf([f(10), f(40), f(55), f(90)], 100)).toEqual(f(55));
    expect(forecastAtHalf([f(45), f(55)], 100)).toEqual(f(45));
    expect(forecastAtHalf([], 100)).toBeUndefined();
  });
});
