/**
 * How well the two trajectory sources agree: the live monitor's checks (spectra of a fixed subset of
 * training images) and the trainer's evaluations (spectra of the probe images). For every evaluation with a
 * monitor check within `maxProgressGap` of training, compares backbone AUC and log RankMe. Small differences
 * justify calibrating from evaluation records when the monitor's cost governor thinned its checks.
 */
import { numberField, type RunRecord } from './run-directory.ts';

type Json = Record<string, unknown>;

/** Mean absolute differences over the paired points (NaN when no pair exists). */
export interface SourceAgreement {
  pairs: number;
  runs: number;
  meanAbsAucDiff: number;
  meanAbsLogRankmeDiff: number;
  /** Mean backbone AUC of the paired evaluations (for scale). */
  meanAuc: number;
}

function backboneOf(record: Json): { auc: number; rankme: number } | undefined {
  const b = record['backbone'] as Json | undefined;
  const auc = numberField(b, 'auc');
  const rankme = numberField(b, 'rankme');
  return Number.isFinite(auc) && rankme > 0 ? { auc, rankme } : undefined;
}

/** Pairs evaluations with the nearest monitor check of the same run and summarises the differences. */
export function sourceAgreement(runs: readonly RunRecord[], maxProgressGap = 0.03): SourceAgreement {
  let pairs = 0;
  let auc = 0;
  let logRank = 0;
  let aucSum = 0;
  let withPairs = 0;
  for (const run of runs) {
    const total = numberField(run.summary, 'steps');
    if (!(total > 0)) continue;
    const checks = run.records.filter((r) => r['type'] === 'monitor' && backboneOf(r) !== undefined);
    if (checks.length === 0) continue;
    let found = false;
    for (const evaluation of run.records.filter((r) => r['type'] === 'evaluation')) {
      const e = backboneOf(evaluation);
      const step = evaluation['step'] as number;
      if (!e || step === 0) continue;
      let best: Json | undefined;
      for (const c of checks) if (!best || Math.abs((c['step'] as number) - step) < Math.abs((best['step'] as number) - step)) best = c;
      const m = best ? backboneOf(best) : undefined;
      if (!best || !m || Math.abs((best['step'] as number) - step) / total > maxProgressGap) continue;
      pairs += 1;
      found = true;
      auc += Math.abs(m.auc - e.auc);
      logRank += Math.abs(Math.log(m.rankme) - Math.log(e.rankme));
      aucSum += e.auc;
    }
    if (found) withPairs += 1;
  }
  const per = (x: number) => (pairs > 0 ? x / pairs : Number.NaN);
  return { pairs, runs: withPairs, meanAbsAucDiff: per(auc), meanAbsLogRankmeDiff: per(logRank), meanAuc: per(aucSum) };
}
