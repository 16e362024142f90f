import { describe, expect, it } from 'vitest';
import { createOnsetDetector } from './onset-detector.ts';
import { DEFAULT_ONSET_OPTIONS } from './onset-options.ts';
import { MonitorError } from './monitor-error.ts';
import { createRandom } from './random.ts';
import { collapsingInput, healthyInput, noisy, powerLawSummary } from './testing/metric-trajectories.ts';

describe('createOnsetDetector', () => {
  it('never fires on healthy runs whose AUC rises 0.65 -> 0.78 while rank stays high (10 seeds)', () => {
    const first = healthyInput(0, 40).backbone!;
    const last = healthyInput(40, 40).backbone!;
    expect(first.auc).toBeCloseTo(0.65, 1);
    expect(last.auc).toBeCloseTo(0.78, 1);
    for (let seed = 1; seed <= 10; seed++) {
      const random = createRandom(seed);
      const detector = createOnsetDetector();
      for (let c = 0; c <= 40; c++) {
        const result = detector.update(noisy(healthyInput(c, 40), random));
        expect(result.state).toBe('healthy');
      }
      expect(detector.transitions).toHaveLength(0);
    }
  });

  it('ignores wild first checks (collapsed-looking values during the warm-up)', () => {
    const detector = createOnsetDetector();
    const wild = [powerLawSummary(2.5, 64, 2, 0.01, 0.02), powerLawSummary(0.1, 64), powerLawSummary(2, 64, 3, 0.05, 0.05)];
    wild.forEach((backbone, c) => expect(detector.update({ step: c, loss: -0.999, backbone }).state).toBe('healthy'));
    const random = createRandom(4);
    for (let c = 3; c < 40; c++) expect(detector.update(noisy(healthyInput(c, 40), random)).state).toBe('healthy');
  });

  it('a partial collapse escalates only after the evidence window, with the evidence attached', () => {
    const random = createRandom(7);
    const detector = createOnsetDetector();
    const results = Array.from({ length: 40 }, (_, c) => detector.update(noisy(collapsingInput(c, 40, 15), random)));
    const firstEvidence = results.findIndex((r) => r.level >= 1);
    const suspect = results.findIndex((r) => r.state === 'suspect');
    const collapsing = results.findIndex((r) => r.state === 'collapsing');
    expect(firstEvidence).toBeGreaterThan(15);
    expect(suspect).toBe(firstEvidence + DEFAULT_ONSET_OPTIONS.evidenceChecks - 1);
    expect(collapsing).toBeGreaterThan(suspect);
    expect(collapsing).toBeLessThan(30);
    expect(results.slice(collapsing).every((r) => r.state === 'collapsing')).toBe(true);
    const transition = results[collapsing].transition!;
    expect(transition).toMatchObject({ from: 'suspect', to: 'collapsing', step: collapsing * 100 });
    const signals = new Set(transition.evidence.map((e) => e.signal));
    expect(signals.has('rank-drop')).toBe(true);
    expect(signals.has('auc-rise')).toBe(true);
    const rank = transition.evidence.find((e) => e.signal === 'rank-drop')!;
    expect(rank.value).toBeLessThan(rank.threshold);
    expect(rank.baseline).toBeGreaterThan(40);
  });

  it('hysteresis prevents flapping on a signal hovering around its threshold', () => {
    // RankMe at 50% of its peak and AUC at 50% of its headroom, +-5% noise: right on both thresholds.
    const hover = (check: number, random: ReturnType<typeof createRandom>) => {
      const wobble = 0.5 + 0.05 * random.normal();
      const backbone = powerLawSummary(0.5, 64, 64, 1, 0.8);
      return { step: check, loss: -0.98, backbone: { ...backbone, rankme: 60 * wobble, auc: 0.6 + 0.4 * (1 - wobble) } };
    };
    const count = (options: Parameters<typeof createOnsetDetector>[0], seed: number) => {
      const random = createRandom(seed);
      const detector = createOnsetDetector(options);
      detector.update({ step: 0, loss: -0.5, backbone: { ...powerLawSummary(0.5, 64), rankme: 60, auc: 0.6 } });
      for (let c = 1; c < 120; c++) detector.update(hover(c, random));
      return detector.transitions.length;
    };
    const jumpy = {
      warmupChecks: 1, evidenceChecks: 1, recoveryChecks: 1, smoothing: 1,
      rankDrop: { suspect: 0.5, collapse: 0.25, release: 0.5 }, aucRise: { suspect: 0.5, collapse: 0.75, release: 0.5 },
    };
    for (const seed of [12, 13, 14]) {
      expect(count(jumpy, seed)).toBeGreaterThan(30);
      expect(count({}, seed)).toBeLessThanOrEqual(3);
    }
  });

  it('recovers to healthy through suspect after quiet checks', () => {
    const detector = createOnsetDetector();
    const random = createRandom(3);
    for (let c = 0; c < 30; c++) detector.update(noisy(collapsingInput(c, 40, 8), random));
    expect(detector.state).toBe('collapsing');
    for (let c = 30; c < 45; c++) detector.update({ ...noisy(healthyInput(40, 40), random), step: c * 100 });
    expect(detector.transitions.map((t) => t.to).slice(-2)).toEqual(['suspect', 'healthy']);
    const back = detector.transitions[detector.transitions.length - 2];
    const healthyAgain = detector.transitions[detector.transitions.length - 1];
    expect(healthyAgain.step - back.step).toBeGreaterThanOrEqual(100 * DEFAULT_ONSET_OPTIONS.recoveryChecks);
    expect(healthyAgain.evidence).toEqual([]);
  });

  it('uses the expected trajectory of the calibration when given', () => {
    // RankMe ~35 is steady (no drop against its own peak) but far below an expected ~60.
    const low = { step: 0, loss: -0.999, backbone: powerLawSummary(0.9, 64) };
    const run = (expected: boolean) => {
      const detector = createOnsetDetector();
      let result = detector.update(low);
      for (let c = 1; c < 8; c++) {
        result = detector.update({ ...low, step: c, ...(expected ? { expectedLogRankme: { mean: Math.log(60), sd: 0.05 } } : {}) });
      }
      return result;
    };
    const withExpected = run(true);
    expect(withExpected.evidence.some((e) => e.signal === 'below-expected' && e.level === 'collapse')).toBe(true);
    expect(withExpected.state).toBe('collapsing');
    expect(run(false).state).toBe('healthy');
  });

  it('a small but steady backbone std is not severe; a vanishing projector std is', () => {
    const backboneOnly = createOnsetDetector();
    for (let c = 0; c < 12; c++) backboneOnly.update({ step: c, loss: -0.6, backbone: powerLawSummary(0.6, 64, 64, 1, 0.02) });
    expect(backboneOnly.state).toBe('healthy');
    const projector = createOnsetDetector();
    let result = projector.update({ step: 0, loss: -0.6, projector: powerLawSummary(0.6, 64, 64, 1, 0.9) });
    for (let c = 1; c < 12; c++) result = projector.update({ step: c, loss: -0.6, projector: powerLawSummary(0.6, 64, 64, 1, 0.01) });
    expect(result.severe).toBe(true);
    expect(result.evidence).toContainEqual({ signal: 'severe', output: 'projector', level: 'collapse', value: 0.01, threshold: 0.05 });
    expect(projector.state).toBe('collapsing');
  });

  it('rejects inconsistent options with a typed error naming them', () => {
    expect(() => createOnsetDetector({ rankDrop: { suspect: 0.5, collapse: 0.7, release: 0.6 } })).toThrow(MonitorError);
    expect(() => createOnsetDetector({ rankDrop: { suspect: 0.5, collapse: 0.7, release: 0.6 } })).toThrow(/onset.rankDrop thresholds must be ordered/);
    expect(() => createOnsetDetector({ warmupChecks: -1 })).toThrow(/onset.warmupChecks must be a finite number in \[0, 1000000\], got -1/);
    expect(() => createOnsetDetector({ evidenceChecks: 1.5 })).toThrow(/onset.evidenceChecks must be an integer, got 1.5/);
  });
});
