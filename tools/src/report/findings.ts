/**
 * The five findings of Li, Efros & Pathak (ECCV 2022) checked on the study runs. Each verdict follows one
 * rule: the effect (a difference of means over seeds, or a correlation across settings) with its 95%
 * interval; "reproduced" when the interval excludes zero on the paper's side, "not reproduced" when it
 * excludes zero on the other side, "inconclusive" otherwise. The collapse measure is the authors' spectrum
 * (backbone features of training images without augmentation, centred, raw singular values): raw AUC where
 * every run has the same feature width, the width-rescaled AUC where widths differ (findings 2 and 3).
 */
import { checked, formatEffect, RESCALED, TRAIN_AUC, type Finding, type Verdict } from './checked-effect.ts';
import { correlationFinding } from './correlation-finding.ts';
import type { CorpusPoint } from './corpus-correlation.ts';
import { pairedDifference, welchDifference, type Effect } from './effect-intervals.ts';
import { spread, type Spread } from './report-stats.ts';
import { architectureRuns, BASELINE_VARIANT, dataSizeRuns, groupBy, isFullSetBaseline, modelSizeRuns, regimeRuns, type StudyRun } from './study-runs.ts';

export { formatEffect, type CheckedEffect, type Finding, type Verdict } from './checked-effect.ts';

const pct = (s: Spread) => (Number.isFinite(s.sd) ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}` : Number.isFinite(s.mean) ? (100 * s.mean).toFixed(1) : '-');
const fix = (s: Spread) => (Number.isFinite(s.sd) ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : Number.isFinite(s.mean) ? s.mean.toFixed(3) : '-');
const num = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : '-');

/** The training-set AUC of a run's random network (its step-0 evaluation). */
const initAuc = (r: StudyRun) => r.evaluations.find((e) => e[0] === 0)?.[3] ?? Number.NaN;

/**
 * mean(value over `b`) - mean(value over `a`), seeds as the unit: paired by seed when at least two seeds are
 * common and every common seed starts both sides from the same random backbone (equal step-0 AUC), so the
 * seed-to-seed spread of the initial spectrum cancels; Welch over all runs otherwise (e.g. different widths).
 */
export function seedDifference(a: readonly StudyRun[], b: readonly StudyRun[], value: (r: StudyRun) => number): Effect {
  const bySeed = new Map(b.map((r) => [r.seed, r]));
  const pairs = a.flatMap((r) => {
    const other = bySeed.get(r.seed);
    return other === undefined ? [] : [[r, other] as const];
  });
  const shared = pairs.length >= 2 && pairs.every(([x, y]) => Number.isFinite(initAuc(x)) && Math.abs(initAuc(x) - initAuc(y)) < 1e-9);
  return shared ? pairedDifference(pairs.map(([x, y]) => [value(x), value(y)] as const)) : welchDifference(a.map(value), b.map(value));
}

function settingRow(label: string, rs: StudyRun[], extra: string[] = []): string[] {
  const s = (f: (r: StudyRun) => number) => spread(rs.map(f));
  return [label, ...extra, String(rs.length), fix(s((r) => r.trainAuc)), fix(s((r) => r.trainAucRescaled)), fix(s((r) => r.auc)), pct(s((r) => r.linearProbe)), pct(s((r) => r.knn))];
}
const SETTING_HEADER = ['seeds', 'AUC (train)', 'rescaled AUC', 'AUC (test probe)', 'linear probe (%)', 'kNN (%)'];

/** Runs grouped by `key`, ascending, with the first and last group (the last empty when there is one group). */
function extremes(runs: StudyRun[], key: (r: StudyRun) => number) {
  const groups = [...groupBy(runs, key).entries()].sort((a, b) => a[0] - b[0]);
  return { groups, first: groups[0]?.[1] ?? [], last: groups.length > 1 ? (groups.at(-1)?.[1] ?? []) : [] };
}

/** Finding 1: the `last` strategy on growing subsets at compute fixed per full-set epoch. */
export function dataSizeFinding(runs: readonly StudyRun[]): Finding {
  const { groups, first, last } = extremes(dataSizeRuns(runs), (r) => r.dataSize);
  const headline = checked(
    'AUC(largest subset) - AUC(smallest subset)',
    seedDifference(first, last, (r) => r.trainAuc),
    1,
    'positive: more data, more collapse for a small model',
    TRAIN_AUC,
  );
  const own = checked(
    'AUC on the images trained on (own subset): largest - smallest',
    seedDifference(first, last, (r) => r.ownAuc),
    1,
    'positive',
    'backbone AUC on the run\u2019s own training images (the `last` subset), no augmentation',
  );
  const rows = groups.map(([size, rs]) => {
    const passes = spread(rs.map((r) => (r.steps * r.batchSize) / r.dataSize)).mean;
    return settingRow(String(size), rs, [`${(100 * rs[0].fraction).toFixed(0)}%`, passes.toFixed(1), fix(spread(rs.map((r) => r.ownAuc)))]);
  });
  const trajectory = (rs: StudyRun[]) => {
    const bySteps = groupBy(rs.flatMap((r) => r.evaluations.map((e) => [e[0], e[3]] as const)), (p) => p[0]);
    return [...bySteps.entries()].map(([step, ps]) => `${step}: ${num(spread(ps.map((p) => p[1])).mean)}`).join(', ');
  };
  const measured =
    groups.length < 2
      ? 'fewer than two subset sizes were run'
      : `AUC (train) ${fix(spread(first.map((r) => r.trainAuc)))} on ${groups[0][0]} images vs ${fix(spread(last.map((r) => r.trainAuc)))} on ${groups.at(-1)?.[0]}; difference ${formatEffect(headline)} (${headline.test}). AUC over training (step: mean AUC), smallest subset: ${trajectory(first)}; largest: ${trajectory(last)}`;
  return {
    id: 1,
    title: 'Data size vs collapse (small CNN, `last` strategy, compute fixed per full-set epoch)',
    paper: 'A small model trained on more data collapses more: ResNet-18\u2019s backbone AUC rises with the ImageNet fraction (authors\u2019 spectra: 0.610, 0.748, 0.845, 0.879, 0.871, 0.858 at 1/5/10/20/50/100%), saturating by 10-20%.',
    verdict: headline.verdict,
    headline,
    parts: [own],
    measured,
    header: ['training images', 'of full set', 'passes over the subset', 'AUC (own subset)', ...SETTING_HEADER],
    rows,
  };
}

/** Finding 2: wider CNNs on the full set; the AUC is rescaled because the feature width changes with the CNN's. */
export function modelSizeFinding(runs: readonly StudyRun[]): Finding {
  const { groups, first, last } = extremes(modelSizeRuns(runs), (r) => r.width);
  const headline = checked(
    'rescaled AUC(widest CNN) - rescaled AUC(narrowest)',
    seedDifference(first, last, (r) => r.trainAucRescaled),
    -1,
    'negative: larger models collapse less',
    RESCALED,
  );
  return {
    id: 2,
    title: 'Model size vs collapse (same data, same steps)',
    paper: 'At a fixed dataset, larger models collapse less: the AUC falls as the model grows.',
    verdict: headline.verdict,
    headline,
    parts: [],
    measured: groups.length < 2 ? 'fewer than two widths were run' : `rescaled AUC ${fix(spread(first.map((r) => r.trainAucRescaled)))} at width ${groups[0][0]} (d=${first[0]?.dim}) vs ${fix(spread(last.map((r) => r.trainAucRescaled)))} at width ${groups.at(-1)?.[0]} (d=${last[0]?.dim}); difference ${formatEffect(headline)} (${headline.test})`,
    header: ['CNN width', 'feature width d', 'parameters', ...SETTING_HEADER],
    rows: groups.map(([w, rs]) => settingRow(String(w), rs, [String(rs[0].dim), String(rs[0].params)])),
  };
}

/** The arm of a finding-4 run: its regime and its budget (the hybrid and one iid arm train twice the steps). */
function regimeLabel(r: StudyRun): string {
  const arm = r.arm === 'hybrid (fixed, switch at 50%)' ? "hybrid (authors': continual pass, then iid)" : (r.arm ?? 'multi-epoch (iid)');
  return `${arm}, ${r.steps} steps`;
}

/**
 * Finding 4: continual vs multi-epoch (iid) at equal compute, and the authors' hybrid (the continual run's
 * checkpoint trained on i.i.d. for as many steps again) against i.i.d. training at the same doubled compute.
 */
export function regimeFinding(runs: readonly StudyRun[]): Finding {
  const all = regimeRuns(runs);
  const iid = all.filter(isFullSetBaseline);
  const continual = all.filter((r) => r.arm === 'continual');
  const hybrid = all.filter((r) => r.arm === 'hybrid (fixed, switch at 50%)');
  const iid2x = all.filter((r) => r.group === 'regime' && r.arm === 'multi-epoch (iid)');
  const headline = checked('AUC(continual) - AUC(multi-epoch)', seedDifference(iid, continual, (r) => r.trainAuc), -1, 'negative: continual training collapses less', TRAIN_AUC);
  const hybridAcc = checked(
    'accuracy(hybrid) - accuracy(multi-epoch at the hybrid\u2019s compute)',
    seedDifference(iid2x, hybrid, (r) => r.linearProbe),
    1,
    'positive: the hybrid reaches a higher linear-probe accuracy',
    'linear-probe accuracy (fraction)',
  );
  const hybridAuc = checked('AUC(hybrid) - AUC(multi-epoch at the hybrid\u2019s compute)', seedDifference(iid2x, hybrid, (r) => r.trainAuc), -1, 'negative: the hybrid collapses less', TRAIN_AUC);
  const arms = groupBy([...iid, ...continual, ...hybrid, ...iid2x], regimeLabel);
  return {
    id: 4,
    title: 'Continual vs multi-epoch vs hybrid at equal compute',
    paper: 'For a small model, continual training (each chunk for one epoch\u2019s worth of steps, never seen again) collapses less than multi-epoch training at equal compute, and a hybrid (the continual checkpoint, then multi-epoch on all data) gets the best accuracy.',
    verdict: headline.verdict,
    headline,
    parts: [hybridAcc, hybridAuc],
    measured: `AUC (train) multi-epoch ${fix(spread(iid.map((r) => r.trainAuc)))} vs continual ${fix(spread(continual.map((r) => r.trainAuc)))}: ${formatEffect(headline)} (${headline.test}); hybrid minus multi-epoch at the same doubled compute: accuracy ${formatEffect(hybridAcc)} (${hybridAcc.verdict}), AUC ${formatEffect(hybridAuc)} (${hybridAuc.verdict})`,
    header: ['regime', ...SETTING_HEADER],
    rows: [...arms.entries()].map(([arm, rs]) => settingRow(arm, rs)),
  };
}

/** The parts of finding 5: the variant label, the expected sign of AUC(variant) - AUC(baseline) and its reason. */
export const ARCHITECTURE_PARTS: readonly { part: string; variant: string; sign: 1 | -1; expected: string }[] = [
  { part: 'stop-gradient', variant: 'no stop-gradient', sign: 1, expected: 'positive: without stop-gradient SimSiam collapses' },
  { part: 'predictor width', variant: 'predictor hidden 16', sign: 1, expected: 'positive: a narrower predictor (hidden 16 instead of 64) collapses more' },
  { part: 'projector width', variant: 'projector 64', sign: 1, expected: 'positive: a narrower projector (64 instead of 256) collapses more' },
  { part: 'fixed predictor lr', variant: 'fixed predictor lr 0.4', sign: -1, expected: 'negative: a fixed (not decayed) predictor lr collapses less' },
];

/** Finding 5, split into its parts; it reproduces when stop-gradient and at least one other part do. */
export function architectureFinding(runs: readonly StudyRun[]): Finding {
  const variants = groupBy(architectureRuns(runs), (r) => r.variant);
  const base = variants.get(BASELINE_VARIANT) ?? [];
  const parts = ARCHITECTURE_PARTS.map((p) =>
    checked(`${p.part}: AUC(${p.variant}) - AUC(baseline)`, seedDifference(base, variants.get(p.variant) ?? [], (r) => r.trainAuc), p.sign, p.expected, TRAIN_AUC),
  );
  const [sg, ...others] = parts;
  const verdict: Verdict = sg.verdict === 'not measured' ? 'not measured' : sg.verdict === 'reproduced' && others.some((p) => p.verdict === 'reproduced') ? 'reproduced' : sg.verdict === 'not reproduced' ? 'not reproduced' : 'inconclusive';
  return {
    id: 5,
    title: 'Architecture: stop-gradient, predictor width, projector width, fixed predictor lr',
    paper: 'Stop-gradient is what prevents complete collapse (SimSiam); predictor and projector capacity and a fixed (not decayed) predictor lr change how much the representation collapses.',
    verdict,
    headline: { ...sg, name: `${sg.name} (finding 5 needs this part and one other)` },
    parts,
    measured: parts.map((p) => `${p.name}: ${formatEffect(p)} (${p.verdict})`).join('; '),
    header: ['variant', ...SETTING_HEADER],
    rows: [...variants.entries()].map(([v, rs]) => settingRow(v, rs)),
  };
}

/** All five findings, in order (finding 3 over the corpus points when given). */
export function studyFindings(runs: readonly StudyRun[], corpus: readonly CorpusPoint[] = []): Finding[] {
  return [dataSizeFinding(runs), modelSizeFinding(runs), correlationFinding(runs, corpus), regimeFinding(runs), architectureFinding(runs)];
}
