/**
 * The monitor-driven arm (`--monitor act`) against the fixed arm (the `continuum` run of the same setting and seed,
 * `--monitor observe`: trained for the whole budget, never changed by the monitor) on collapse-prone settings. Per setting: accuracy of each arm
 * (a stopped run's accuracy is its last evaluation), the steps each used, and the fixed arm's accuracy at the
 * step where the monitor stopped (its evaluation nearest before it), all as mean and sd over seeds.
 */
import { spread, type Spread } from '../report/report-stats.ts';
import type { CorpusRun } from './corpus-file.ts';

/** One seed of one setting: both arms. Accuracies are fractions. */
export interface ArmPair {
  setting: string;
  seed: number;
  fixedAccuracy: number;
  fixedSteps: number;
  actAccuracy: number;
  actSteps: number;
  /** The fixed arm's accuracy at its last evaluation at most 50 steps before the act arm's last step (equal compute), else NaN. */
  fixedAtEqualCompute: number;
  /** The first applied decision of the act run, if any. */
  decision?: string;
}

/** A setting over its seeds. Accuracy differences in percentage points; compute as a share of the fixed arm's steps. */
export interface ArmSummary {
  setting: string;
  seeds: number;
  fixedAccuracy: Spread;
  actAccuracy: Spread;
  fixedAtEqualCompute: Spread;
  /** act - fixed, percentage points. */
  accuracyGainPp: Spread;
  /** 1 - act steps / fixed steps. */
  computeSaved: Spread;
  decisions: string[];
}

/** Accuracy of the last evaluation at or before `step`, NaN when there is none within `maxGap` steps before it. */
export function accuracyAt(run: CorpusRun, step: number, maxGap = 50): number {
  const before = run.evaluations.filter((e) => e.step <= step && e.step >= step - maxGap);
  return before.length > 0 ? before[before.length - 1].linearProbeAccuracy : Number.NaN;
}

/** Pairs `continuum-act` runs with the `continuum` (observe) run of the same setting and seed. */
export function armPairs(runs: readonly CorpusRun[]): ArmPair[] {
  const fixed = new Map(runs.filter((r) => r.group === 'continuum').map((r) => [`${r.setting.replace(/^continuum/, '')}#${r.seed}`, r]));
  return runs
    .filter((r) => r.group === 'continuum-act')
    .flatMap((act) => {
      const base = fixed.get(`${act.setting.replace(/^continuum-act/, '')}#${act.seed}`);
      if (!base) return [];
      const applied = act.decisions.find((d) => d.applied);
      return [{
        setting: act.setting.replace(/^continuum-act--/, ''),
        seed: act.seed,
        fixedAccuracy: base.finalLinearProbeAccuracy,
        fixedSteps: base.steps,
        actAccuracy: act.finalLinearProbeAccuracy,
        actSteps: act.steps,
        fixedAtEqualCompute: accuracyAt(base, act.steps),
        ...(applied ? { decision: `${applied.decision}@${applied.step}` } : {}),
      }];
    });
}

/** Summarises the pairs per setting. */
export function summariseArms(pairs: readonly ArmPair[]): ArmSummary[] {
  const settings = [...new Set(pairs.map((p) => p.setting))];
  return settings.map((setting) => {
    const p = pairs.filter((x) => x.setting === setting);
    return {
      setting,
      seeds: p.length,
      fixedAccuracy: spread(p.map((x) => x.fixedAccuracy)),
      actAccuracy: spread(p.map((x) => x.actAccuracy)),
      fixedAtEqualCompute: spread(p.map((x) => x.fixedAtEqualCompute)),
      accuracyGainPp: spread(p.map((x) => 100 * (x.actAccuracy - x.fixedAccuracy))),
      computeSaved: spread(p.map((x) => 1 - x.actSteps / x.fixedSteps)),
      decisions: p.map((x) => x.decision ?? 'none'),
    };
  });
}
