import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCalibration, type TrajectoryPoint } from '@siamwatch/monitor';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun } from '../calibration/fake-run-directory.ts';
import { accuracyAt, armPairs, summariseArms } from './arms-comparison.ts';
import { classifyCorpus, degradeStepOf, isCompleteCollapse } from './corpus-classes.ts';
import { readCorpusFile, settingOf, type CorpusRun } from './corpus-file.ts';
import { runEvaluateCli } from './evaluate-cli.ts';
import { summarise, type HeldOutForecast } from './grouped-forecast-evaluation.ts';
import { summariseOnset, type OnsetRow } from './onset-evaluation.ts';

const root = mkdtempSync(join(tmpdir(), 'siamwatch-monitor-eval-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const runs = join(root, 'runs');
const manifest: { grid: string; runs: { id: string; params: Record<string, number | string> }[] } = { grid: 'continuum', runs: [] };
const decays = [0.0005, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04];
decays.forEach((wd, k) => {
  for (const seed of [0, 1]) {
    const params = { dataset: 'mnist', method: 'simsiam', width: 0.25, 'weight-decay': wd };
    const id = `continuum--dataset-mnist--method-simsiam--width-0.25--weight-decay-${wd}--s${seed}`;
    writeFakeRun(runs, { id, seed: 10 * k + seed, finalAuc: 0.62 + 0.04 * k + 0.01 * seed, config: { method: 'simsiam', weightDecay: wd } });
    manifest.runs.push({ id, params });
  }
});
for (const seed of [0, 1]) {
  const id = `continuum-act--dataset-mnist--method-simsiam--width-0.25--weight-decay-0.03--s${seed}`;
  const dir = writeFakeRun(runs, { id, seed: 60 + seed, finalAuc: 0.86, monitor: 'act' });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({ status: 'stopped', steps: 40, totalSteps: 80, decisions: [{ step: 40, decision: 'early-stop', applied: true }] }));
}
writeFileSync(join(runs, 'manifest.json'), JSON.stringify(manifest));

const point = (step: number, loss: number, rank: number): TrajectoryPoint => ({ step, totalSteps: 100, loss, backbone: { auc: 0.7, rankme: rank }, projector: { auc: 0.8, rankme: 2 * rank } });
const corpusRun = (checks: TrajectoryPoint[], extra: Partial<CorpusRun> = {}): CorpusRun => ({
  id: 'continuum--x--s0', group: 'continuum', setting: 'continuum--x', seed: 0, params: {}, method: 'simsiam', dataset: 'mnist', width: 0.25, monitor: 'observe',
  totalSteps: 100, steps: 100, stoppedEarly: false, finalLinearProbeAccuracy: 0.5, evaluations: [], checks, decisions: [], ...extra,
});

describe('monitor evaluation statistics', () => {
  it('summarise: MAE, baselines and coverage on hand-checkable rows', () => {
    const row = (point: number, actual: number, scored = true): HeldOutForecast => ({
      id: `r${point}`, setting: `s${point}`, method: 'simsiam', progress: 0.5, point, low80: point - 0.05, high80: point + 0.05, low90: point - 0.1, high90: point + 0.1, actual, constant: 0.7, aucOnly: actual, scored,
    });
    const s = summarise([row(0.8, 0.82), row(0.6, 0.7), row(0.4, 0.37), row(0.1, 0.9, false)], 0.5);
    expect(s.runs).toBe(3);
    expect(s.mae).toBeCloseTo((2 + 10 + 3) / 3, 9); // pp
    expect(s.constantBaselineMae).toBeCloseTo((12 + 0 + 33) / 3, 9);
    expect(s.aucOnlyBaselineMae).toBe(0);
    expect(s.coverage80).toBeCloseTo(2 / 3, 12); // |err| 0.02, 0.1, 0.03: the 0.1 miss is outside +-0.05
    expect(s.coverage90).toBe(1);
    expect(s.spearman).toBeCloseTo(1, 12); // same order
  });

  it('complete collapse: loss pinned at the floor (per method) or a rank-one backbone', () => {
    expect(isCompleteCollapse(corpusRun([point(80, -0.995, 20), point(90, -0.99, 20), point(100, -0.995, 20)]))).toBe(true);
    expect(isCompleteCollapse(corpusRun([point(90, 0.01, 20), point(100, 0.01, 20)], { method: 'byol' }))).toBe(true);
    expect(isCompleteCollapse(corpusRun([point(90, 1, 20), point(100, 1, 20)], { method: 'byol' }))).toBe(false); // 1 - cos = 0.5
    expect(isCompleteCollapse(corpusRun([point(90, -0.5, 1.1), point(100, -0.5, 1.2)]))).toBe(true);
    expect(isCompleteCollapse(corpusRun([point(90, -0.5, 20), point(100, -0.5, 20)]))).toBe(false);
    expect(isCompleteCollapse(corpusRun([point(90, -0.5, 20)], { params: { 'no-stop-gradient': true } }))).toBe(true);
    expect(isCompleteCollapse(corpusRun([point(90, 1, 20)], { method: 'byol', params: { 'no-stop-gradient': true } }))).toBe(false);
    const flat = point(100, -0.5, 20);
    flat.projector!.normalizedStd = 0.01;
    expect(isCompleteCollapse(corpusRun([flat]))).toBe(true);
  });

  it('dates the degradation at the first check below 80% of the reference RankMe (3-check median, after warm-up)', () => {
    const ref = corpusRun(Array.from({ length: 10 }, (_, i) => point(10 * i, -0.5, 20)));
    const falling = corpusRun([20, 20, 20, 20, 20, 18, 15, 14, 10, 8].map((r, i) => point(10 * i, -0.5, r)));
    // medians from check 5: 20, 18, 15, 14 (< 16 at check 7)
    expect(degradeStepOf(falling, [ref])).toBe(70);
    expect(degradeStepOf(ref, [ref])).toBeUndefined();
    expect(degradeStepOf(falling, [])).toBeUndefined();
  });

  it('arms: pairs act with the observe run of the same setting and seed; equal-compute accuracy from evaluations', () => {
    const base = corpusRun([], { group: 'continuum', id: 'continuum--a--s0', setting: 'continuum--a', steps: 300, finalLinearProbeAccuracy: 0.6, evaluations: [{ step: 0, linearProbeAccuracy: 0.5 }, { step: 150, linearProbeAccuracy: 0.7 }, { step: 300, linearProbeAccuracy: 0.6 }] });
    const act = corpusRun([], { group: 'continuum-act', id: 'continuum-act--a--s0', setting: 'continuum-act--a', steps: 200, finalLinearProbeAccuracy: 0.7, decisions: [{ step: 200, decision: 'early-stop', applied: true }] });
    expect(accuracyAt(base, 200)).toBe(0.7);
    expect(accuracyAt(base, 120)).toBeNaN(); // the evaluation at 0 is too far before: not the same compute
    const pairs = armPairs([base, act]);
    expect(pairs).toEqual([{ setting: 'a', seed: 0, fixedAccuracy: 0.6, fixedSteps: 300, actAccuracy: 0.7, actSteps: 200, fixedAtEqualCompute: 0.7, decision: 'early-stop@200' }]);
    const [summary] = summariseArms(pairs);
    expect(summary.accuracyGainPp.mean).toBeCloseTo(10, 9);
    expect(summary.computeSaved.mean).toBeCloseTo(1 / 3, 12);
  });

  it('onset summary: false positives on healthy runs, detections and median delay on collapse-prone runs', () => {
    const row = (cls: OnsetRow['cls'], decision?: number, degradeStep?: number, hard = false): OnsetRow => ({
      id: `r${Math.random()}`, method: 'simsiam', cls, maxState: 'healthy', weightDecayHardCase: hard,
      ...(decision !== undefined ? { decision: { step: decision, decision: 'early-stop', reason: '' } } : {}),
      ...(degradeStep !== undefined ? { degradeStep } : {}),
      ...(decision !== undefined && degradeStep !== undefined ? { delaySteps: decision - degradeStep } : {}),
    });
    const s = summariseOnset([
      row('healthy'), row('healthy', 100, undefined, true), row('healthy', undefined, 40, true),
      row('harmful', 120, 80), row('harmful', undefined, 60), row('complete-collapse', 50, 40), row('harmful'), row('noise-control', 90),
    ], 'all');
    expect(s).toMatchObject({ healthyRuns: 3, falsePositives: 1, hardCaseRuns: 2, hardCaseFalsePositives: 1, noiseControlRuns: 1, noiseControlDecisions: 1 });
    // collapse-prone: the complete collapse and the two harmful runs with a degradation date; delays 40 and 10
    expect(s).toMatchObject({ collapseProneRuns: 3, detected: 2, dated: 3, medianDelaySteps: 25, harmfulUndegradedRuns: 1, harmfulUndegradedDecisions: 0 });
  });

  it('settings drop only the seed suffix', () => {
    expect(settingOf('continuum--dataset-mnist--width-0.25--s12')).toBe('continuum--dataset-mnist--width-0.25');
  });
});

describe('npm run monitor:evaluate', () => {
  const out = (name: string) => join(root, name);
  const args = (roots: string[]) => ['node', 'evaluate-cli.ts', ...roots, '--corpus', out('corpus.json'), '--doc', out('eval.md'), '--json', out('eval.json'), '--calibration', out('cal.json'), '--notes', out('none.md'), '--folds', '4', '--created-at', '2026-12-01T00:00:00.000Z', '--no-ablations'];

  it('writes the corpus, the evaluation (held out by setting) and a loadable calibration in one command', () => {
    const evaluation = runEvaluateCli(args([runs]));
    const corpus = readCorpusFile(out('corpus.json'));
    expect(corpus.runs).toHaveLength(18);
    expect(corpus.runs.find((r) => r.group === 'continuum-act')?.stoppedEarly).toBe(true);
    const json = JSON.parse(readFileSync(out('eval.json'), 'utf8'));
    for (const key of ['runs', 'settings', 'maeAtHalf', 'constantBaselineMae', 'aucOnlyBaselineMae', 'spearmanAtHalf', 'coverage80', 'coverage90']) expect(json.heldOut).toHaveProperty(key);
    for (const key of ['healthyRuns', 'falsePositives', 'collapseProneRuns', 'detected', 'medianDelaySteps']) expect(json.onset).toHaveProperty(key);
    const scored = classifyCorpus(corpus.runs.filter((r) => r.group === 'continuum')).filter((c) => c.cls !== 'complete-collapse');
    expect(json.heldOut.runs).toBe(scored.length);
    expect(json.heldOut.settings).toBe(new Set(scored.map((c) => c.run.setting)).size);
    // the fake accuracy is a function of the AUC path: the forecast must beat the constant
    expect(json.heldOut.maeAtHalf).toBeLessThan(json.heldOut.constantBaselineMae);
    // two seeds per setting: every scored run has a seed-noise floor, and the forecast is scored on the same runs
    expect(json.heldOut.seedNoiseFloor.runs).toBe(scored.length);
    expect(json.heldOut.seedNoiseFloor.forecastMae).toBeCloseTo(json.heldOut.maeAtHalf, 2);
    expect(readFileSync(out('eval.md'), 'utf8')).toContain('**The seed-noise floor.**');
    // the harm-threshold trade-off: the default first, the rule off last; turning it off never detects fewer
    expect(json.onset.harmSweep.map((h: { harmDrop: number }) => h.harmDrop)).toEqual([0.09, 0.12, 0.15, 0.2, 0]);
    expect(json.onset.harmSweep[0].falsePositives).toBe(json.onset.falsePositives);
    expect(json.onset.harmSweep[4].detected).toBeGreaterThanOrEqual(json.onset.harmSweep[3].detected);
    expect(json.arms[0].computeSaved.mean).toBeCloseTo(0.5, 9);
    expect(evaluation.calibration.trainingRuns).toHaveLength(16);
    const calibration = loadCalibration(readFileSync(out('cal.json'), 'utf8'));
    expect(calibration.provenance).toBe('trainer-runs');
    expect(readFileSync(out('eval.md'), 'utf8')).toContain('## Forecast held out by setting');
  });

  it('re-evaluates the committed corpus file alone to the same figures', () => {
    const first = readFileSync(out('eval.json'), 'utf8');
    runEvaluateCli(args([]));
    const again = JSON.parse(readFileSync(out('eval.json'), 'utf8'));
    expect(again.heldOut).toEqual(JSON.parse(first).heldOut);
    expect(again.onset).toEqual(JSON.parse(first).onset);
  });
});
