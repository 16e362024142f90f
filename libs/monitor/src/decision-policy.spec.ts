import { describe, expect, it } from 'vitest';
import { createDecisionPolicy, type DecisionInput, type Regime } from './decision-policy.ts';
import { MonitorError } from './monitor-error.ts';
import type { OnsetResult, OnsetState } from './onset-detector.ts';

const onset = (state: OnsetState, severe = false): OnsetResult => ({
  state,
  severe,
  level: state === 'healthy' ? 0 : state === 'suspect' ? 1 : 2,
  checks: 10,
  evidence:
    state === 'healthy'
      ? []
      : [{ signal: 'rank-drop', output: 'backbone', level: state === 'collapsing' ? 'collapse' : 'suspect', value: 0.2, threshold: 0.25, baseline: 50 }],
});

const input = (step: number, regime: Regime, state: OnsetState, point: number, extra: Partial<DecisionInput> = {}): DecisionInput => ({
  step,
  progress: step / 100,
  regime,
  onset: onset(state),
  forecast: { point, low: point - 0.05, high: point + 0.05, level: 0.9 },
  rankme: 40,
  ...extra,
});

/** The collapse rules on spectrum shape alone (harm rule off), as before the forecast judged harm. */
const SPECTRUM_ONLY = { harmDrop: 0, harmDropAlone: 0 };

describe('harmful partial collapse (default: harm judged through the forecast)', () => {
  it('suspect + forecast fallen harmDrop below its own best -> early-stop; a smaller drop continues', () => {
    const policy = createDecisionPolicy({ warmupChecks: 0, harmDrop: 0.04 });
    const points = [0.8, 0.82, 0.84, 0.83, 0.81, 0.76, 0.74];
    const decisions = points.map((p, i) => policy.decide(input(i, 'iid', i < 3 ? 'healthy' : 'suspect', p)));
    // medians of the last 3 forecasts: 0.8, 0.81, 0.82, 0.83, 0.83, 0.81, 0.76 -> best 0.83; drop 0.02, then 0.07
    expect(decisions.slice(0, 6).every((d) => d.decision === 'continue')).toBe(true);
    expect(decisions[6].decision).toBe('early-stop');
    expect(decisions[6].reason).toMatch(/harmful partial collapse: onset suspect and the forecast fell 0.070 below its best \(0.830\)/);
    expect(decisions[6].evidence.at(-1)).toEqual({ name: 'forecastDrop', value: expect.closeTo(0.07, 9), threshold: 0.04 });
  });

  it('a collapsing spectrum whose forecast holds (the weight-decay case) is not acted on; a healthy run whose forecast dips a little neither', () => {
    const holds = createDecisionPolicy({ warmupChecks: 0 });
    const kinds = [0.8, 0.81, 0.8, 0.82, 0.81].map((p, i) => holds.decide(input(i, 'iid', 'collapsing', p)));
    expect(kinds.every((d) => d.decision === 'continue')).toBe(true);
    expect(kinds[4].reason).toMatch(/forecast holds/);
    const healthy = createDecisionPolicy({ warmupChecks: 0 });
    expect([0.8, 0.79, 0.75, 0.74].map((p, i) => healthy.decide(input(i, 'iid', 'healthy', p)).decision)).toEqual(['continue', 'continue', 'continue', 'continue']);
  });

  it('a collapsing spectrum with the loss pinned at its floor (complete collapse) is acted on even when the forecast holds', () => {
    const pinned = (state: OnsetState): OnsetResult => ({
      ...onset(state),
      evidence: [...onset(state).evidence, { signal: 'loss-near-floor', output: 'loss', level: 'collapse', value: 0.003, threshold: 0.005, baseline: -1 }],
    });
    const policy = createDecisionPolicy({ warmupChecks: 0 });
    const decisions = [0.8, 0.81, 0.8].map((p, i) => policy.decide(input(i, 'iid', 'collapsing', p, { onset: pinned('collapsing') })));
    expect(decisions[0].decision).toBe('switch-to-continual');
    expect(decisions[0].reason).toMatch(/collapse onset in iid training/);
    // the same loss only near its floor at suspect level does not bypass the forecast
    const near = createDecisionPolicy({ warmupChecks: 0 });
    const suspectLoss: OnsetResult = { ...onset('collapsing'), evidence: [...onset('collapsing').evidence, { signal: 'loss-near-floor', output: 'loss', level: 'suspect', value: 0.01, threshold: 0.02, baseline: -1 }] };
    expect(near.decide(input(0, 'iid', 'collapsing', 0.8, { onset: suspectLoss })).decision).toBe('continue');
  });
});

describe('harm shown by the forecast alone, and extrapolated forecasts', () => {
  it('a forecast fallen harmDropAlone below its best stops a run even with a healthy spectrum; an extrapolated one never does', () => {
    const points = [0.8, 0.8, 0.8, 0.76, 0.72, 0.7];
    const run = (extrapolated: boolean) => {
      const policy = createDecisionPolicy({ warmupChecks: 0, harmDrop: 0.04, harmDropAlone: 0.07 });
      return points.map((p, i) => policy.decide(input(i, 'iid', i < 4 ? 'healthy' : 'suspect', p, { forecast: { point: p, low: p - 0.1, high: p + 0.1, level: 0.9, extrapolated } })));
    };
    const trusted = run(false);
    // medians: 0.8, 0.8, 0.8, 0.8, 0.76, 0.72: at check 4 the drop is 0.04 with the onset suspect
    expect(trusted.slice(0, 4).every((d) => d.decision === 'continue')).toBe(true);
    expect(trusted[4].reason).toMatch(/harmful partial collapse/);
    const alone = createDecisionPolicy({ warmupChecks: 0, harmDropAlone: 0.07 });
    const healthy = points.map((p, i) => alone.decide(input(i, 'iid', 'healthy', p)));
    const off = createDecisionPolicy({ warmupChecks: 0 });
    expect(points.map((p, i) => off.decide(input(i, 'iid', 'healthy', p)).decision).every((d) => d === 'continue')).toBe(true);
    // with a healthy spectrum only the larger drop (0.08 >= 0.07 at check 5) decides
    expect(healthy.slice(0, 5).every((d) => d.decision === 'continue')).toBe(true);
    expect(healthy[5]).toMatchObject({ decision: 'early-stop' });
    expect(healthy[5].reason).toMatch(/harmful training: the forecast fell 0.080 below its best \(0.800\) with the spectrum healthy/);
    expect(run(true).every((d) => d.decision === 'continue')).toBe(true);
    // an extrapolated forecast cannot show harm: a collapsing spectrum falls back to the spectrum-only rules
    const fallback = createDecisionPolicy({ warmupChecks: 0 });
    const untrusted = { forecast: { point: 0.8, low: 0.7, high: 0.9, level: 0.9, extrapolated: true } };
    expect(fallback.decide(input(1, 'iid', 'collapsing', 0.8, untrusted)).decision).toBe('switch-to-continual');
    expect(createDecisionPolicy({ warmupChecks: 0 }).decide(input(1, 'iid', 'collapsing', 0.8)).decision).toBe('continue');
  });
});

describe('createDecisionPolicy', () => {
  it('collapse onset in iid or multi-epoch training -> switch-to-continual, with evidence and forecast', () => {
    for (const regime of ['iid', 'multi-epoch'] as const) {
      const decision = createDecisionPolicy(SPECTRUM_ONLY).decide(input(30, regime, 'collapsing', 0.7));
      expect(decision.decision).toBe('switch-to-continual');
      expect(decision.evidence).toEqual([{ name: 'backbone.rank-drop', value: 0.2, threshold: 0.25 }]);
      expect(decision.forecast).toMatchObject({ point: 0.7, high: 0.75, level: 0.9 });
      expect(decision.forecast.low).toBeCloseTo(0.65, 12);
      expect(decision.reason).toMatch(regime);
    }
  });

  it('collapse in continual training, or severe collapse anywhere -> early-stop', () => {
    expect(createDecisionPolicy(SPECTRUM_ONLY).decide(input(30, 'continual', 'collapsing', 0.7)).decision).toBe('early-stop');
    const severe = createDecisionPolicy(SPECTRUM_ONLY).decide(input(30, 'iid', 'collapsing', 0.7, { onset: onset('collapsing', true) }));
    expect(severe.decision).toBe('early-stop');
    expect(severe.reason).toMatch(/severe/);
  });

  it('a suspect state alone does not switch', () => {
    const policy = createDecisionPolicy(SPECTRUM_ONLY);
    for (let s = 0; s < 10; s++) expect(policy.decide(input(s, 'iid', 'suspect', 0.7 + s / 100)).decision).toBe('continue');
  });

  it('continual phase with a stable rank and a flat forecast -> switch-to-iid, not before', () => {
    const policy = createDecisionPolicy(SPECTRUM_ONLY);
    const decisions = Array.from({ length: 12 }, (_, s) =>
      policy.decide(input(s, 'continual', 'healthy', s < 4 ? 0.6 + 0.05 * s : 0.8, { rankme: s < 4 ? 20 + 5 * s : 40 })).decision,
    );
    const first = decisions.indexOf('switch-to-iid');
    expect(first).toBeGreaterThanOrEqual(8);
    expect(decisions.slice(0, first).every((d) => d === 'continue')).toBe(true);
    const unstable = createDecisionPolicy(SPECTRUM_ONLY);
    for (let s = 0; s < 12; s++) {
      expect(unstable.decide(input(s, 'continual', 'healthy', 0.8, { rankme: s % 2 ? 30 : 45 })).decision).toBe('continue');
    }
  });

  it('a forecast that stops improving after mid-training -> early-stop; an improving one continues', () => {
    const flat = createDecisionPolicy(SPECTRUM_ONLY);
    const decisions = Array.from({ length: 40 }, (_, s) => flat.decide(input(s * 2.5, 'iid', 'healthy', Math.min(0.8, 0.5 + s * 0.02))).decision);
    const stop = decisions.indexOf('early-stop');
    expect(stop).toBeGreaterThan(0);
    expect(stop * 2.5).toBeGreaterThanOrEqual(50);
    const rising = createDecisionPolicy(SPECTRUM_ONLY);
    for (let s = 0; s < 40; s++) expect(rising.decide(input(s * 2.5, 'iid', 'healthy', 0.5 + s * 0.01)).decision).toBe('continue');
  });

  it('cool-down: after a decision, the next checks continue instead of repeating it', () => {
    const policy = createDecisionPolicy({ ...SPECTRUM_ONLY, cooldownChecks: 3 });
    const kinds = Array.from({ length: 8 }, (_, s) => policy.decide(input(s, 'iid', 'collapsing', 0.7)).decision);
    expect(kinds).toEqual([
      'switch-to-continual', 'continue', 'continue', 'continue', 'switch-to-continual', 'continue', 'continue', 'continue',
    ]);
  });

  it('observe reports decisions with action none; act returns them as actions', () => {
    const observed = createDecisionPolicy(SPECTRUM_ONLY).decide(input(30, 'iid', 'collapsing', 0.7));
    expect(observed).toMatchObject({ decision: 'switch-to-continual', action: 'none' });
    const acted = createDecisionPolicy({ ...SPECTRUM_ONLY, policy: 'act' }).decide(input(30, 'iid', 'collapsing', 0.7));
    expect(acted).toMatchObject({ decision: 'switch-to-continual', action: 'switch-to-continual' });
    expect(createDecisionPolicy({ ...SPECTRUM_ONLY, policy: 'act' }).decide(input(3, 'iid', 'healthy', 0.7)).action).toBe('none');
  });

  it('rejects unknown policies and regimes with typed errors', () => {
    expect(() => createDecisionPolicy({ ...SPECTRUM_ONLY, policy: 'maybe' as never })).toThrow(/decision.policy must be "observe" or "act", got "maybe"/);
    expect(() => createDecisionPolicy(SPECTRUM_ONLY).decide(input(1, 'online' as never, 'healthy', 0.7))).toThrow(MonitorError);
    expect(() => createDecisionPolicy({ ...SPECTRUM_ONLY, patienceChecks: 0 })).toThrow(/decision.patienceChecks/);
  });
});
