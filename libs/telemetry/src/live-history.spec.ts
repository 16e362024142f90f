import { describe, expect, it } from 'vitest';
import { LiveHistory, MAX_EVENTS, MAX_SPECTRUM_VALUES, cumulativeExplainedVariance } from './live-history.ts';
import { ThinningSeries } from './thinning-series.ts';

describe('ThinningSeries', () => {
  it('keeps at most capacity rows however many are pushed, spanning the whole run', () => {
    const s = new ThinningSeries(['step', 'v'], 64);
    for (let i = 0; i < 100_000; i++) s.push(i, 2 * i);
    expect(s.length).toBeLessThanOrEqual(64);
    expect(s.length).toBeGreaterThanOrEqual(32);
    expect(s.pushed).toBe(100_000);
    const { step, v } = s.toColumns();
    expect(step![0]).toBeLessThan(100_000 / 16);
    expect(s.last(0)).toBeGreaterThan(100_000 - 100_000 / 16);
    for (let i = 1; i < step!.length; i++) expect(step![i]).toBeGreaterThan(step![i - 1]!);
    step!.forEach((x, i) => expect(v![i]).toBe(2 * x));
  });

  it('keeps every row until full', () => {
    const s = new ThinningSeries(['a'], 8);
    for (let i = 0; i < 8; i++) s.push(i);
    expect(s.toColumns()['a']).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    s.push(8);
    expect(s.toColumns()['a']).toEqual([1, 3, 5, 7, 8]);
  });

  it('rejects bad shapes with the bad value in the message', () => {
    expect(() => new ThinningSeries(['a'], 5)).toThrow(/got 5/);
    expect(() => new ThinningSeries([], 8)).toThrow(/got 0/);
  });
});

describe('cumulativeExplainedVariance', () => {
  it('is c_k = sum_{i<=k} s_i / sum s_i (Li et al. 2022 Eq. 2), ending at 1', () => {
    expect(cumulativeExplainedVariance([3, 1])).toEqual([0.75, 1]);
    const flat = cumulativeExplainedVariance([1, 1, 1, 1]);
    expect(flat).toEqual([0.25, 0.5, 0.75, 1]);
    expect(cumulativeExplainedVariance([0, 0])).toEqual([0, 0]);
  });
});

describe('LiveHistory', () => {
  it('stays bounded: step series, spectrum length and event lists', () => {
    const h = new LiveHistory('r', 128, ['iid']);
    for (let i = 0; i < 50_000; i++) h.step({ step: i, loss: -0.9, learningRate: 0.1, imagesPerSecond: 50, durationSeconds: 0.01 }, i);
    expect(h.stepRows).toBeLessThanOrEqual(128);
    const sv = Array.from({ length: MAX_SPECTRUM_VALUES + 500 }, (_, i) => 1 / (i + 1));
    h.collapseMetrics({ step: 1, output: 'backbone', auc: 0.7, effectiveRank: 10, stableRank: 2, alpha: 1, normalizedOutputStd: 0.05, dimensions: sv.length, singularValues: sv }, 1);
    for (let i = 0; i < MAX_EVENTS + 50; i++) {
      h.decision({ step: i, decision: 'early_stop', reasonClass: 'manual', reason: 'x' }, i);
      h.regime(i % 2 ? 'iid' : 'last', i, 'flip', i);
    }
    const snap = h.snapshot();
    expect(snap.spectrum.backbone!.singularValues).toHaveLength(MAX_SPECTRUM_VALUES);
    // c_k is computed over the full spectrum before truncation, so it stays below 1 here.
    expect(snap.spectrum.backbone!.cumulativeExplainedVariance.at(-1)).toBeLessThan(1);
    expect(snap.decisions).toHaveLength(MAX_EVENTS);
    expect(snap.regimes.timeline).toHaveLength(MAX_EVENTS);
    expect(snap.decisions.at(-1)!.step).toBe(MAX_EVENTS + 49);
    expect(snap.regimes.known).toEqual(['iid', 'last']);
  });

  it('serialises NaN (missing kNN accuracy) as null for the page', () => {
    const h = new LiveHistory('r', 8, []);
    h.evaluation({ step: 3, linearProbeAccuracy: 0.5 }, 1);
    const json = JSON.parse(JSON.stringify(h.snapshot()));
    expect(json.accuracy.measured).toEqual({ step: [3], linearProbe: [0.5], knn: [null] });
    expect(json.spectrum.projector).toBeNull();
  });
});
