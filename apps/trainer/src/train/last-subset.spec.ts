import { describe, expect, it } from 'vitest';
import { createRegimeScheduler } from '../regime/regime-scheduler.ts';
import { lastSubsetIndices } from './last-subset.ts';

describe('lastSubsetIndices', () => {
  it('returns exactly the pool of a `last` run: the last fraction of the stream, whatever the batch size', () => {
    for (const batchSize of [7, 64]) {
      const scheduler = createRegimeScheduler({ regime: 'last', numTrain: 1000, batchSize, totalSteps: 400, lastFraction: 0.05, seed: 3 });
      const subset = lastSubsetIndices(scheduler, 400);
      expect(subset).toHaveLength(50);
      // every batch of the run is drawn from it, and it is sorted and distinct
      const all = new Set<number>();
      for (let s = 0; s < 400; s++) for (const i of scheduler.batchIndices(s)) all.add(i);
      expect([...all].sort((a, b) => a - b)).toEqual(Array.from(subset));
    }
  });

  it('stops after maxSteps batches when the pool is larger than what they cover', () => {
    const scheduler = createRegimeScheduler({ regime: 'iid', numTrain: 1000, batchSize: 10, totalSteps: 100, seed: 1 });
    expect(lastSubsetIndices(scheduler, 3)).toHaveLength(30);
  });
});
