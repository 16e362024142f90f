import type { TrajectoryPoint } from '@siamwatch/monitor';
import { describe, expect, it } from 'vitest';
import type { CorpusFile, CorpusRun } from '../monitor-evaluation/corpus-file.ts';
import { correlationFinding } from './correlation-finding.ts';
import { centredWithinStrata, corpusCorrelation, corpusPoints } from './corpus-correlation.ts';

/** A corpus run whose last check has backbone AUC `auc` (d = 16) and RankMe `rankme`. */
function run(dataset: string, setting: number, seed: number, auc: number, accuracy: number, extra: Partial<CorpusRun> = {}): CorpusRun {
  const check: TrajectoryPoint = { step: 100, totalSteps: 100, loss: -0.6, backbone: { auc, rankme: 16 * (1.2 - auc), dim: 16 }, projector: { auc: 0.8, rankme: 40, normalizedStd: 0.5 } };
  return {
    id: `c--${dataset}-${setting}--s${seed}`, group: 'continuum', setting: `c--${dataset}-${setting}`, seed, params: { 'weight-decay': 0.0005 * (setting + 1) }, method: 'simsiam', dataset, width: 0.25,
    monitor: 'observe', totalSteps: 100, steps: 100, stoppedEarly: false, finalLinearProbeAccuracy: accuracy, evaluations: [], checks: [check, check, check], decisions: [], ...extra,
  };
}

// within each dataset, the more collapsed settings are worse (accuracy falls 0.5 per unit of AUC); MNIST sits
// higher on both axes, so pooling the datasets mixes a level difference into the slope
const runs: CorpusRun[] = [];
for (const [dataset, aucBase, accBase] of [['mnist', 0.8, 0.9], ['fashion-mnist', 0.7, 0.7]] as const) {
  for (let s = 0; s < 5; s++) for (const seed of [0, 1]) runs.push(run(dataset, s, seed, aucBase + 0.02 * s + 0.002 * seed, accBase - 0.01 * s - 0.001 * seed + 0.002 * ((s * 7 + seed) % 3)));
}
// a SimSiam run without stop-gradient is a complete collapse: left out
runs.push(run('mnist', 9, 0, 0.99, 0.1, { params: { 'no-stop-gradient': true } }));
const corpus: CorpusFile = { version: 1, commands: [], runs };

describe('finding 3 over the corpus', () => {
  it('takes one point per run that did not collapse completely, with the AUC rescaled by its width', () => {
    const points = corpusPoints(corpus);
    expect(points).toHaveLength(20);
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
});
