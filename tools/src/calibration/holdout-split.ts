/**
 * Deterministic held-out split of runs for the calibration: by run (never by check), stratified over the
 * grid's groups so every experiment is represented on both sides, seeded so the same corpus and seed always
 * give the same split.
 */
import { createRandom } from '@siamwatch/monitor';

/** Raised for an invalid split request; the message names the bad value. */
export class HoldoutSplitError extends Error {
  override readonly name = 'HoldoutSplitError';
}

/** The ids on each side of the split. */
export interface HoldoutSplit {
  train: string[];
  heldOut: string[];
}

/**
 * Splits `runs` (id + stratum) so that about `fraction` of each stratum is held out: per stratum (ids
 * sorted, then shuffled with a seeded mulberry32), the first round(fraction x n) ids are held out, at least
 * one when the stratum has 2+ runs and fraction > 0, and never the whole stratum.
 */
export function holdoutSplit(runs: readonly { id: string; group: string }[], fraction: number, seed = 0): HoldoutSplit {
  if (!(fraction >= 0 && fraction < 1)) throw new HoldoutSplitError(`holdout fraction must be in [0, 1), got ${String(fraction)}`);
  if (!Number.isSafeInteger(seed)) throw new HoldoutSplitError(`seed must be an integer, got ${String(seed)}`);
  const ids = new Set<string>();
  const strata = new Map<string, string[]>();
  for (const run of runs) {
    if (ids.has(run.id)) throw new HoldoutSplitError(`duplicate run id "${run.id}"`);
    ids.add(run.id);
    strata.set(run.group, [...(strata.get(run.group) ?? []), run.id]);
  }
  const heldOut: string[] = [];
  for (const [group, members] of [...strata.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...members].sort();
    const random = createRandom(seed * 7919 + hash(group));
    for (let i = sorted.length - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [sorted[i], sorted[j]] = [sorted[j], sorted[i]];
    }
    let k = Math.round(fraction * sorted.length);
    if (fraction > 0 && sorted.length >= 2) k = Math.max(1, k);
    k = Math.min(k, sorted.length - 1);
    heldOut.push(...sorted.slice(0, Math.max(0, k)));
  }
  const held = new Set(heldOut);
  return { train: runs.map((r) => r.id).filter((id) => !held.has(id)), heldOut: runs.map((r) => r.id).filter((id) => held.has(id)) };
}

/** A small stable string hash (FNV-1a, 32 bits). */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
