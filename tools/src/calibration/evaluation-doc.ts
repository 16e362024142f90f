/**
 * Writes `docs/monitor-evaluation.md`: how the calibration was fitted, the held-out evaluation of the
 * forecast made at half of training (MAE in percentage points, per-run table, interval coverage against
 * its level), the leave-one-out error per anchor, and the regime comparison at equal compute.
 */
import type { FitCorpusResult } from './fit-corpus.ts';
import { formatFixed, formatPercent, type RegimeRow } from './regime-comparison.ts';

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1) : 'n/a');
const pp = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** Inputs of {@link evaluationMarkdown}. */
export interface EvaluationDocInput {
  result: FitCorpusResult;
  /** Regime comparisons, each under its own heading (e.g. with and without stop-gradient). */
  regimes: { title: string; setting: string; rows: RegimeRow[] }[];
  /** The command lines that produced the runs and the fit. */
  commands: string[];
  /** Where the calibration was written. */
  calibrationFile: string;
  /** Extra paragraphs (what was run and what was not, caveats). */
  notes?: string[];
}

function forecastSection(result: FitCorpusResult): string[] {
  const e = result.evaluation;
  const lines = [
    `## Forecast at half of training on held-out runs`,
    ``,
    `The forecast uses only the label-free trajectory up to the check nearest ${e.atProgress} of training (spectrum AUC, RankMe, alpha, normalised std of backbone and projector, loss, their trends, model and data size); the target is the run's measured final linear-probe accuracy. The held-out runs were not used by the fit.`,
    ``,
    `- held-out runs evaluated: **${e.rows.length}**${e.missing.length > 0 ? ` (no check near ${e.atProgress}: ${e.missing.join(', ')})` : ''}`,
    `- **MAE: ${pp(e.maePp)} percentage points** (baseline "mean final accuracy of the training runs": ${pp(e.baselineMaePp)} pp)`,
    `- **${Math.round(100 * e.level)}% interval coverage: ${pct(e.coverage)}%** (${e.rows.filter((r) => r.covered).length} of ${e.rows.length}; stated level ${Math.round(100 * e.level)}%)`,
    ``,
    `| run | progress | forecast | ${Math.round(100 * e.level)}% interval | measured | error (pp) | covered |`,
    `|---|---|---|---|---|---|---|`,
    ...e.rows.map((r) => `| ${r.id} | ${r.progress.toFixed(2)} | ${pct(r.point)}% | [${pct(r.low)}, ${pct(r.high)}] | ${pct(r.actual)}% | ${r.errorPp >= 0 ? '+' : ''}${pp(r.errorPp)} | ${r.covered ? 'yes' : 'no'} |`),
    ``,
  ];
  return lines;
}

function anchorSection(result: FitCorpusResult): string[] {
  const c = result.calibration;
  const levels = c.residualQuantiles.levels;
  return [
    `## The fitted calibration`,
    ``,
    `Leave-one-out error of the ridge forecast at each progress anchor (training runs only) and the conformal half-widths:`,
    ``,
    `| progress | runs | LOO RMSE (pp) | ridge lambda | ${levels.map((l) => `${Math.round(100 * l)}% half-width (pp)`).join(' | ')} |`,
    `|---|---|---|---|${levels.map(() => '---').join('|')}|`,
    ...c.model.anchors.map((a, i) => `| ${a.progress} | ${a.nTrain} | ${pp(100 * a.looRmse)} | ${a.model.lambda} | ${c.residualQuantiles.halfWidths[i].map((w) => pp(100 * w)).join(' | ')} |`),
    ``,
  ];
}

function regimeSection(title: string, setting: string, rows: RegimeRow[]): string[] {
  if (rows.length === 0) return [`## ${title}`, ``, `No runs of this comparison were found: it was not measured.`, ``];
  return [
    `## ${title}`,
    ``,
    `${setting} Same model, data and step budget in every arm; only the order in which examples are seen differs (apps/trainer/src/regime/README.md). Mean ± sample sd over seeds.`,
    ``,
    `| regime | seeds | steps | linear probe (%) | backbone AUC | live regime switches | monitor decisions | monitor checks logged |`,
    `|---|---|---|---|---|---|---|---|`,
    ...rows.map(
      (r) =>
        `| ${r.arm} | ${r.seeds} | ${[...new Set(r.steps)].join(', ')} | ${formatPercent(r.linearProbe)} | ${formatFixed(r.auc)} | ${r.switches.length === 0 ? 'none' : r.switches.length} | ${r.decisions.length === 0 ? 'none' : `${r.decisions.length} (listed below)`} | ${r.monitorActive ? 'yes' : 'no'} |`,
    ),
    ``,
    ...rows.filter((r) => r.stoppedEarly.length > 0).map((r) => `**${r.arm}: ${r.stoppedEarly.length} of ${r.seeds} runs stopped early** (the monitor's early-stop; steps above): their accuracy and AUC are those of their last evaluation before the stop, so this arm used less compute than the others.`),
    ``,
    `The fixed hybrid's planned switch to iid at 50% of the steps is part of its plan, not a live switch, so it is not counted. Monitor decisions are applied only with \`--monitor act\`.`,
    ``,
    ...rows.flatMap((r) => [...r.switches.map((s) => `- switch: ${s}`), ...r.decisions.map((d) => `- decision: ${d}`)]),
    ``,
    `Per-run values: ${rows.map((r) => `${r.arm}: ${r.linearProbe.values.map(pct).join(', ')}%`).join('; ')}.`,
    ``,
  ];
}

/** The whole markdown document. */
export function evaluationMarkdown(input: EvaluationDocInput): string {
  const { result } = input;
  const counts = new Map<string, number>();
  for (const run of result.runs) counts.set(run.group, (counts.get(run.group) ?? 0) + 1);
  return [
    `# Monitor evaluation: forecast on held-out runs, and regimes at equal compute`,
    ``,
    `Generated by \`npm run calibration:fit\` (tools/src/calibration) on ${result.calibration.createdAt}. Do not edit by hand: rerun the command.`,
    ``,
    `## What was run`,
    ``,
    `- run directories read: ${result.runs.length} (${[...counts.entries()].map(([g, n]) => `${g}: ${n}`).join(', ')}); grids: ${result.grids.join(', ') || 'unknown'}`,
    `- used for the fit: ${result.split.train.length}; held out (stratified by group, by run): ${result.split.heldOut.length}; unusable: ${result.skipped.length}${result.skipped.length > 0 ? ` (${result.skipped.map((s) => `${s.id}: ${s.reason}`).join('; ')})` : ''}`,
    `- trajectory source: ${result.sources.monitor} runs from live monitor checks, ${result.sources.evaluations} from evaluation records (used when the monitor's cost governor left a calibration anchor without a check)`,
    `- agreement of the two sources where a run has both (${result.agreement.pairs} evaluation/check pairs within 3% of training, ${result.agreement.runs} runs): mean |AUC difference| ${result.agreement.meanAbsAucDiff.toFixed(4)} (mean AUC ${result.agreement.meanAuc.toFixed(3)}), mean |log RankMe difference| ${result.agreement.meanAbsLogRankmeDiff.toFixed(3)}`,
    `- calibration written to \`${input.calibrationFile}\` (provenance \`${result.calibration.provenance}\`)`,
    ``,
    '```sh',
    ...input.commands,
    '```',
    ``,
    ...(input.notes ?? []).flatMap((n) => [n, ``]),
    ...forecastSection(result),
    ...anchorSection(result),
    ...input.regimes.flatMap((r) => regimeSection(r.title, r.setting, r.rows)),
  ].join('\n');
}
