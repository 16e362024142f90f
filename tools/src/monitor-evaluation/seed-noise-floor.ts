/**
 * The seed-noise floor of the forecast: how well the final accuracy of a run could be forecast by someone who
 * knew its setting exactly, i.e. the mean final accuracy of the *other* seeds of the same setting (leave one
 * seed out). No forecast from the run's own trajectory can be expected to beat it by much: what is left is
 * seed-to-seed variation (initialisation, data order, a small probe's sampling error). It puts the issue's
 * targets (MAE under 3 pp, Spearman 0.8) in proportion.
 */
import { spearman } from '../report/report-stats.ts';
import type { HeldOutForecast } from './grouped-forecast-evaluation.ts';

/** The floor and the forecast on the same runs (scored runs whose setting has at least two seeds). */
export interface SeedNoiseFloor {
  runs: number;
  settings: number;
  /** MAE (pp) of the leave-one-seed-out setting mean. */
  mae: number;
  /** Spearman between the leave-one-seed-out setting mean and the final accuracy. */
  spearman: number;
  /** The forecast's MAE (pp) and Spearman on the same runs at the same point of training. */
  forecastMae: number;
  forecastSpearman: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The floor over the scored rows at `progress` (one row per run). */
export function seedNoiseFloor(rows: readonly HeldOutForecast[], progress: number): SeedNoiseFloor {
  const scored = rows.filter((r) => r.scored && r.progress === progress);
  const bySetting = new Map<string, HeldOutForecast[]>();
  for (const r of scored) bySetting.set(r.setting, [...(bySetting.get(r.setting) ?? []), r]);
  const used: { row: HeldOutForecast; floor: number }[] = [];
  for (const members of bySetting.values()) {
    if (members.length < 2) continue;
    for (const row of members) used.push({ row, floor: mean(members.filter((m) => m !== row).map((m) => m.actual)) });
  }
  const actual = used.map((u) => u.row.actual);
  const enough = used.length >= 3;
  return {
    runs: used.length,
    settings: new Set(used.map((u) => u.row.setting)).size,
    mae: used.length > 0 ? 100 * mean(used.map((u) => Math.abs(u.floor - u.row.actual))) : Number.NaN,
    spearman: enough ? spearman(used.map((u) => u.floor), actual) : Number.NaN,
    forecastMae: used.length > 0 ? 100 * mean(used.map((u) => Math.abs(u.row.point - u.row.actual))) : Number.NaN,
    forecastSpearman: enough ? spearman(used.map((u) => u.row.point), actual) : Number.NaN,
  };
}
