/**
 * `docs/report/findings.json`: the machine-readable verdicts, one entry per finding
 * (`{ id, name, verdict, effect, ci95, n, ... }`), with finding 5's parts (and finding 3's and 4's
 * secondary effects) nested under `parts`, each with its own verdict. Non-finite numbers become null.
 */
import type { CheckedEffect, Finding } from './findings.ts';

/** One effect as JSON. */
export interface EffectJson {
  name: string;
  verdict: string;
  effect: number | null;
  ci95: [number | null, number | null];
  n: number;
  test: string;
  metric: string;
  expected: string;
}

/** One finding as JSON: its headline effect's fields, its id and its parts. */
export interface FindingJson extends EffectJson {
  id: string;
  parts: EffectJson[];
}

const finite = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);

function effectJson(e: CheckedEffect): EffectJson {
  return { name: e.name, verdict: e.verdict, effect: finite(e.effect), ci95: [finite(e.low), finite(e.high)], n: e.n, test: e.test, metric: e.metric, expected: e.expected };
}

/** The findings as the JSON array of `findings.json`. */
export function findingsJson(findings: readonly Finding[]): FindingJson[] {
  return findings.map((f) => {
    return { id: String(f.id), ...effectJson(f.headline), name: f.title, verdict: f.verdict, parts: f.parts.map(effectJson) };
  });
}
