/**
 * The five findings of Li, Efros & Pathak (ECCV 2022) checked on the study runs, each with the measured
 * figures (mean ± sd over seeds), a verdict at this scale and the paper's claim it is compared with.
 * Verdicts are mechanical: an effect "reproduced" when its direction matches the paper and the difference
 * of the extreme means exceeds the larger of their seed spreads; "not reproduced" when the direction is
 * opposite by that margin; otherwise "inconclusive (within seed spread)".
 */
import { pearson, spearman, spread, type Spread } from './report-stats.ts';
import { architectureRuns, BASELINE_VARIANT, dataSizeRuns, groupBy, modelSizeRuns, regimeRuns, type StudyRun } from './study-runs.ts';

/** Verdict of a finding at this scale. */
export type Verdict = 'reproduced' | 'not reproduced' | 'inconclusive (within seed spread)' | 'not measured';

/** A checked finding: measured table rows (label, cells) and the verdict. */
export interface Finding {
  id: number;
  title: string;
  paper: string;
  verdict: Verdict;
  measured: string;
  header: string[];
  rows: string[][];
}

const pct = (s: Spread) => (Number.isFinite(s.sd) ? `${(100 * s.mean).toFixed(1)} ± ${(100 * s.sd).toFixed(1)}` : (100 * s.mean).toFixed(1));
const fix = (s: Spread) => (Number.isFinite(s.sd) ? `${s.mean.toFixed(3)} ± ${s.sd.toFixed(3)}` : s.mean.toFixed(3));

/** Compares the first and last group means: `sign` +1 if the paper expects the last to be larger. */
export function directionVerdict(first: Spread, last: Spread, sign: 1 | -1): Verdict {
  if (first.n === 0 || last.n === 0) return 'not measured';
  const diff = sign * (last.mean - first.mean);
  const margin = Math.max(Number.isFinite(first.sd) ? first.sd : 0, Number.isFinite(last.sd) ? last.sd : 0);
  if (diff > margin && diff > 0) return 'reproduced';
  if (-diff > margin && diff < 0) return 'not reproduced';
  return 'inconclusive (within seed spread)';
}

function sizeFinding(id: number, title: string, paper: string, runs: StudyRun[], key: (r: StudyRun) => number, label: string, sign: 1 | -1): Finding {
  const groups = [...groupBy(runs, key).entries()].sort((a, b) => a[0] - b[0]);
  const rows = groups.map(([k, rs]) => [String(k), String(rs.length), fix(spread(rs.map((r) => r.auc))), pct(spread(rs.map((r) => r.linearProbe))), pct(spread(rs.map((r) => r.knn)))]);
  const first = spread(groups[0]?.[1].map((r) => r.auc) ?? []);
  const last = spread(groups.at(-1)?.[1].map((r) => r.auc) ?? []);
  const verdict = directionVerdict(first, last, sign);
  const measured = groups.length < 2 ? 'fewer than two settings were run' : `backbone AUC ${fix(first)} at ${label} ${groups[0][0]} vs ${fix(last)} at ${groups[groups.length - 1][0]}`;
  return { id, title, paper, verdict, measured, header: [label, 'seeds', 'backbone AUC', 'linear probe (%)', 'kNN (%)'], rows };
}

/** Finding 1: the 500-step block, plus the 2000-step block when it was run (the verdict then follows the longer budget). */
export function dataSizeFinding(runs: readonly StudyRun[]): Finding {
  const paper = 'A small model trained on more data collapses more: its backbone AUC rises with the data fraction (ImageNet 1% -> 100%: AUC 0.61 -> 0.88 for ResNet-18).';
  const short = sizeFinding(1, 'Data size vs collapse (fixed small model, same steps)', paper, dataSizeRuns(runs), (r) => r.dataSize, 'training images', 1);
  const longRuns = dataSizeRuns(runs, 'data-size-long');
  if (longRuns.length === 0) return short;
  const long = sizeFinding(1, short.title, paper, longRuns, (r) => r.dataSize, 'training images', 1);
  return {
    ...long,
    measured: `500 steps: ${short.measured} (${short.verdict}); 2000 steps: ${long.measured}`,
    header: ['steps', ...long.header],
    rows: [...short.rows.map((r) => ['500', ...r]), ...long.rows.map((r) => ['2000', ...r])],
  };
}

/** Finding 3: correlation of final AUC and accuracy across runs (all runs, and without the no-stop-gradient runs). */
export function correlationFinding(runs: readonly StudyRun[]): Finding {
  const sets: [string, StudyRun[]][] = [
    ['every finished run', runs.filter((r) => !r.stoppedEarly && Number.isFinite(r.auc) && Number.isFinite(r.linearProbe))],
    ['with stop-gradient', runs.filter((r) => !r.stoppedEarly && r.variant !== 'no stop-gradient' && Number.isFinite(r.auc) && Number.isFinite(r.linearProbe))],
  ];
  const rows = sets.map(([name, rs]) => {
    const x = rs.map((r) => r.auc);
    const y = rs.map((r) => r.linearProbe);
    return [name, String(rs.length), pearson(x, y).toFixed(2), spearman(x, y).toFixed(2)];
  });
  const r = Number(rows[1][2]);
  const rho = Number(rows[1][3]);
  const verdict: Verdict = !Number.isFinite(r) ? 'not measured' : r < -0.3 && rho < -0.3 ? 'reproduced' : r > 0.3 && rho > 0.3 ? 'not reproduced' : 'inconclusive (within seed spread)';
  return {
    id: 3,
    title: 'AUC forecasts accuracy across runs',
    paper: 'Across runs, lower backbone AUC (less collapse) goes with higher linear-probe accuracy: a strong negative correlation, so AUC can rank runs without labels.',
    verdict,
    measured: `Pearson r = ${rows[1][2]}, Spearman rho = ${rows[1][3]} over ${rows[1][1]} runs with stop-gradient (every run: r = ${rows[0][2]}, rho = ${rows[0][3]})`,
    header: ['runs', 'n', 'Pearson r', 'Spearman rho'],
    rows,
  };
}

/** Finding 4: regimes at equal compute. */
export function regimeFinding(runs: readonly StudyRun[]): Finding {
  const arms = groupBy(regimeRuns(runs), (r) => r.arm ?? 'multi-epoch (iid)');
  const row = (label: string, rs: StudyRun[]) => [label, String(rs.length), fix(spread(rs.map((r) => r.auc))), pct(spread(rs.map((r) => r.linearProbe))), pct(spread(rs.map((r) => r.knn)))];
  const rows = [...arms.entries()].map(([arm, rs]) => row(arm, rs));
  for (const [arm, rs] of groupBy(regimeRuns(runs, 'regime-collapse'), (r) => r.arm ?? 'multi-epoch (iid)')) {
    const stopped = rs.filter((r) => r.stoppedEarly).length;
    rows.push(row(`${arm}, no stop-gradient${stopped > 0 ? ` (${stopped} stopped early by the monitor: last evaluation)` : ''}`, rs));
  }
  const iid = arms.get('multi-epoch (iid)') ?? [];
  const continual = arms.get('continual') ?? [];
  const aucVerdict = directionVerdict(spread(iid.map((r) => r.auc)), spread(continual.map((r) => r.auc)), -1);
  const hybrid = arms.get('hybrid (fixed, switch at 50%)') ?? [];
  const accIid = spread(iid.map((r) => r.linearProbe));
  const accHybrid = spread(hybrid.map((r) => r.linearProbe));
  return {
    id: 4,
    title: 'Continual vs multi-epoch vs hybrid at equal compute',
    paper: 'For a small model, continual training (each example in one short window) collapses less than multi-epoch training on the same data and steps, and a hybrid (continual, then multi-epoch) gets the best accuracy.',
    verdict: aucVerdict,
    measured: `AUC multi-epoch ${fix(spread(iid.map((r) => r.auc)))} vs continual ${fix(spread(continual.map((r) => r.auc)))}; linear probe multi-epoch ${pct(accIid)}% vs fixed hybrid ${pct(accHybrid)}%`,
    header: ['regime', 'seeds', 'backbone AUC', 'linear probe (%)', 'kNN (%)'],
    rows,
  };
}

/** Finding 5: architecture variants against the baseline (same setting, same seeds). */
export function architectureFinding(runs: readonly StudyRun[]): Finding {
  const variants = groupBy(architectureRuns(runs), (r) => r.variant);
  const base = variants.get(BASELINE_VARIANT) ?? [];
  const rows = [...variants.entries()].map(([v, rs]) => [v, String(rs.length), fix(spread(rs.map((r) => r.auc))), pct(spread(rs.map((r) => r.linearProbe))), pct(spread(rs.map((r) => r.knn)))]);
  const noSg = variants.get('no stop-gradient') ?? [];
  const verdict = directionVerdict(spread(base.map((r) => r.auc)), spread(noSg.map((r) => r.auc)), 1);
  return {
    id: 5,
    title: 'Architecture: predictor width, projector width, predictor lr, stop-gradient',
    paper: 'Stop-gradient is what prevents complete collapse (SimSiam); predictor and projector capacity and a fixed (not decayed) predictor lr change how much the representation collapses and the accuracy reached.',
    verdict,
    measured: `without stop-gradient AUC ${fix(spread(noSg.map((r) => r.auc)))} vs baseline ${fix(spread(base.map((r) => r.auc)))}; other variants in the table`,
    header: ['variant', 'seeds', 'backbone AUC', 'linear probe (%)', 'kNN (%)'],
    rows,
  };
}

/** All five findings, in order. */
export function studyFindings(runs: readonly StudyRun[]): Finding[] {
  return [
    dataSizeFinding(runs),
    sizeFinding(2, 'Model size vs collapse (same data, same steps)', 'At a fixed dataset, larger models collapse less: AUC falls as the model grows.', modelSizeRuns(runs), (r) => r.width, 'CNN width', -1),
    correlationFinding(runs),
    regimeFinding(runs),
    architectureFinding(runs),
  ];
}
