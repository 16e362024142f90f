/**
 * A small collapse-continuum corpus for tests of finding 3: two datasets x five weight-decay settings x two seeds
 * of SimSiam where, within each dataset, the more collapsed settings are worse (accuracy falls about 0.5 points
 * per 0.01 of AUC), MNIST sitting higher on both axes (so pooling the datasets flips the slope), plus one
 * complete collapse (no stop-gradient) that finding 3 must leave out.
 */
import type { TrajectoryPoint } from '@siamwatch/monitor';
import type { CorpusFile, CorpusRun } from '../../monitor-evaluation/corpus-file.ts';

/** A corpus run whose last check has backbone AUC `auc` (d = 16) and RankMe 16 (1.2 - auc). */
export function fakeCorpusRun(dataset: string, setting: number, seed: number, auc: number, accuracy: number, extra: Partial<CorpusRun> = {}): CorpusRun {
  const check: TrajectoryPoint = { step: 100, totalSteps: 100, loss: -0.6, backbone: { auc, rankme: 16 * (1.2 - auc), dim: 16 }, projector: { auc: 0.8, rankme: 40, normalizedStd: 0.5 } };
  return {
    id: `c--${dataset}-${setting}--s${seed}`, group: 'continuum', setting: `c--${dataset}-${setting}`, seed, params: { 'weight-decay': 0.0005 * (setting + 1) }, method: 'simsiam', dataset, width: 0.25,
    monitor: 'observe', totalSteps: 100, steps: 100, stoppedEarly: false, finalLinearProbeAccuracy: accuracy, evaluations: [], checks: [check, check, check], decisions: [], ...extra,
  };
}

/** The corpus described above: 21 runs, 20 of them points of finding 3 in 10 settings. */
export function fakeCorpus(): CorpusFile {
  const runs: CorpusRun[] = [];
  for (const [dataset, aucBase, accBase] of [['mnist', 0.8, 0.9], ['fashion-mnist', 0.7, 0.7]] as const) {
    for (let s = 0; s < 5; s++) for (const seed of [0, 1]) runs.push(fakeCorpusRun(dataset, s, seed, aucBase + 0.02 * s + 0.002 * seed, accBase - 0.01 * s - 0.001 * seed + 0.002 * ((s * 7 + seed) % 3)));
  }
  runs.push(fakeCorpusRun('mnist', 9, 0, 0.99, 0.1, { params: { 'no-stop-gradient': true } }));
  return { version: 1, commands: [], runs };
}
