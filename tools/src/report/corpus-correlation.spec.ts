import { describe, expect, it } from 'vitest';
import { correlationFinding } from './correlation-finding.ts';
import { centredWithinStrata, corpusCorrelation, corpusCorrelationChart, corpusPoints } from './corpus-correlation.ts';
import { fakeCorpus } from './testing/fake-corpus.ts';

const corpus = fakeCorpus();
const runs = corpus.runs;

describe('finding 3 over the corpus', () => {
  it('takes one point per run that did not collapse completely, with the AUC rescaled by its width', () => {
    const points = corpusPoints(corpus);
    expect(points).toHaveLength(20);
    // a run the monitor stopped has no final accuracy: left out
    expect(corpusPoints({ ...corpus, runs: runs.map((r, i) => (i === 0 ? { ...r, stoppedEarly: true } : r)) })).toHaveLength(19);
    expect(points.some((p) => p.id.includes('mnist-9'))).toBe(false);
    expect(points[0].rescaledAuc).toBeCloseTo((0.8 - 17 / 32) / (1 - 17 / 32), 9);
    expect(points[0].stratum).toBe('mnist/simsiam');
  });

  it('centres AUC and accuracy within each dataset and method', () => {
    const centred = centredWithinStrata(corpusPoints(corpus));
    for (const stratum of ['mnist/simsiam', 'fashion-mnist/simsiam']) {
      const mean = (f: (p: (typeof centred)[number]) => number) => centred.filter((p) => p.stratum === stratum).reduce((a, p) => a + f(p), 0);
      expect(mean((p) => p.rescaledAuc)).toBeCloseTo(0, 9);
      expect(mean((p) => p.accuracy)).toBeCloseTo(0, 9);
    }
  });

  it('finds the within-stratum correlation negative with an interval excluding zero, while pooling flips its sign', () => {
    const points = corpusPoints(corpus);
    const within = corpusCorrelation(points, (p) => p.rescaledAuc, true);
    expect(within.effect).toBeLessThan(-0.9);
    expect(within.high).toBeLessThan(0);
    expect(within.test).toMatch(/10 corpus settings/);
    expect(corpusCorrelation(points, (p) => p.rescaledAuc, false).effect).toBeGreaterThan(0);
    expect(corpusCorrelation(points, (p) => p.rankmeRatio, true).effect).toBeGreaterThan(0.9);
  });

  it('gives no interval with fewer than 3 settings', () => {
    const two = corpusPoints({ ...corpus, runs: runs.filter((r) => r.setting.endsWith('-0') || r.setting.endsWith('-1')).filter((r) => r.dataset === 'mnist') });
    expect(Number.isNaN(corpusCorrelation(two, (p) => p.rescaledAuc, true).low)).toBe(true);
  });

  it('makes the corpus the headline of finding 3 when given, the study runs its parts', () => {
    const finding = correlationFinding([], corpusPoints(corpus));
    expect(finding.headline.name).toBe('corpus: Pearson r(rescaled AUC, accuracy) within dataset and method');
    expect(finding.verdict).toBe('reproduced');
    expect(finding.parts.map((p) => p.name.split(':')[0])).toEqual(['corpus', 'corpus', 'study', 'study', 'study']);
    expect(finding.rows[0][1]).toBe('20');
    expect(correlationFinding([], []).headline.name).toMatch(/^study:/);
  });

  it('draws the centred points per dataset and method with the line', () => {
    const chart = corpusCorrelationChart(corpusPoints(corpus));
    expect(chart.series.map((s) => s.label)).toEqual(['least-squares line', 'fashion-mnist/simsiam', 'mnist/simsiam']);
    expect(chart.series.slice(1).reduce((n, s) => n + s.values.filter((v) => v !== null).length, 0)).toBe(20);
    expect(() => corpusCorrelationChart([])).toThrow(/at least 2 points|has no data/);
  });
});
