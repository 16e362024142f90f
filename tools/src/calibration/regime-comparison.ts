/**
 * The regime comparison at equal compute (Li, Efros & Pathak, ECCV 2022, Sec. 5): multi-epoch (iid),
 * continual, fixed hybrid (continual then iid) and the monitor-driven hybrid (`--regime iid --monitor act`),
 * over seeds: final linear-probe accuracy and backbone AUC with their spread, and what the monitor decided.
 */
import { mean } from '@siamwatch/monitor';
import { finalResultOf, numberField, type RunRecord } from './run-directory.ts';

/** The four regimes compared. */
export type RegimeArm = 'multi-epoch (iid)' | 'continual' | 'hybrid (fixed, switch at 50%)' | 'hybrid (monitor-driven)';

/** One arm's aggregate over seeds. Accuracies as fractions; `sd` is the sample standard deviation. */
export interface RegimeRow {
  arm: RegimeArm;
  runs: string[];
  seeds: number;
  linearProbe: { mean: number; sd: number; values: number[] };
  auc: { mean: number; sd: number; values: number[] };
  steps: number[];
  /** Regime switches the runs made (step and target), from summary.json `regimeHistory`. */
  switches: string[];
  /** Whether the runs logged monitor check records (false: the monitor was not active in the trainer). */
  monitorActive: boolean;
  /** Runs stopped early (their results are those of their last evaluation). */
  stoppedEarly: string[];
  /** Monitor decisions other than `continue` (summary.json `decisions`), one line per run and kind: first step, count, applied, reason. */
  decisions: string[];
}

/** Which arm a run belongs to, from its config (undefined for runs of no arm). */
export function regimeArmOf(run: RunRecord): RegimeArm | undefined {
  const regime = ((run.config['regime'] ?? {}) as Record<string, unknown>)['name'];
  const monitor = run.config['monitor'];
  if (regime === 'iid') return monitor === 'act' ? 'hybrid (monitor-driven)' : 'multi-epoch (iid)';
  if (regime === 'continual') return 'continual';
  if (regime === 'hybrid') return 'hybrid (fixed, switch at 50%)';
  return undefined;
}

const ARMS: RegimeArm[] = ['multi-epoch (iid)', 'continual', 'hybrid (fixed, switch at 50%)', 'hybrid (monitor-driven)'];

/** Mean and sample standard deviation (n - 1), as in the report. */
function stats(values: number[]): { mean: number; sd: number; values: number[] } {
  const m = mean(values);
  const sd = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1)) : Number.NaN;
  return { mean: m, sd, values };
}

/** Aggregates the runs of the `regime` group (or every run given) by arm, in a fixed order. */
export function compareRegimes(runs: readonly RunRecord[]): RegimeRow[] {
  const rows: RegimeRow[] = [];
  for (const arm of ARMS) {
    const members = runs.filter((r) => regimeArmOf(r) === arm);
    if (members.length === 0) continue;
    const switches: string[] = [];
    for (const run of members) {
      const history = (run.summary['regimeHistory'] ?? []) as { step: number; regime: string; reason: string }[];
      for (const change of history.slice(1)) switches.push(`${run.id}: ${change.regime} at step ${change.step} (${change.reason})`);
    }
    const decisions: string[] = [];
    for (const run of members) {
      const list = (run.summary['decisions'] ?? []) as { step: number; decision: string; reason: string; applied?: boolean }[];
      // one line per run and decision kind: the first occurrence, how often it was repeated, and whether any was applied
      for (const kind of [...new Set(list.map((d) => d.decision))]) {
        const same = list.filter((d) => d.decision === kind);
        const applied = same.filter((d) => d.applied).length;
        decisions.push(`${run.id}: ${kind} first at step ${same[0].step} (${same.length}x, ${applied > 0 ? `${applied} applied` : 'not applied'}): ${same[0].reason}`);
      }
    }
    rows.push({
      arm,
      decisions,
      runs: members.map((r) => r.id),
      seeds: members.length,
      linearProbe: stats(members.map((r) => finalResultOf(r).linearProbe)),
      auc: stats(members.map((r) => finalResultOf(r).auc)),
      stoppedEarly: members.filter((r) => finalResultOf(r).stoppedEarly).map((r) => r.id),
      steps: members.map((r) => numberField(r.summary, 'steps')),
      switches,
      monitorActive: members.some((r) => r.records.some((x) => x['type'] !== 'evaluation' && x['forecast'] !== undefined)),
    });
  }
  return rows;
}

/** `91.2 ± 0.4` (percent, mean ± sd over seeds; sd omitted for one seed). */
export function formatPercent(stat: { mean: number; sd: number }): string {
  const m = (100 * stat.mean).toFixed(1);
  return Number.isFinite(stat.sd) ? `${m} ± ${(100 * stat.sd).toFixed(1)}` : m;
}

/** `0.712 ± 0.004` (mean ± sd over seeds). */
export function formatFixed(stat: { mean: number; sd: number }, digits = 3): string {
  return Number.isFinite(stat.sd) ? `${stat.mean.toFixed(digits)} ± ${stat.sd.toFixed(digits)}` : stat.mean.toFixed(digits);
}
