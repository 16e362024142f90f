/**
 * The images a `last`-strategy run trains on: the scheduler cycles through one fixed subset, a fresh
 * permutation per pass, so the batches up to the first repeated index are exactly one pass over it.
 */
import type { BatchScheduler } from './trainer-deps.ts';

/**
 * The distinct train-split indices of the scheduler's first pass (sorted): the whole pool of a
 * single-segment regime (`last`; `iid` gives every example). Reads at most `maxSteps` batches.
 */
export function lastSubsetIndices(scheduler: Pick<BatchScheduler, 'batchIndices'>, maxSteps: number): Int32Array {
  const seen = new Set<number>();
  for (let step = 0; step < maxSteps; step++) {
    for (const i of scheduler.batchIndices(step)) {
      if (seen.has(i)) return Int32Array.from(seen).sort();
      seen.add(i);
    }
  }
  return Int32Array.from(seen).sort();
}
