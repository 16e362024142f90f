import { describe, it, expect } from 'vitest';
import { createRegimeScheduler, type RegimeScheduler } from './regime-scheduler.ts';
import { RegimeError, type RegimeName, type RegimeOptions } from './regime-options.ts';

const base = { numTrain: 1000, batchSize: 32, totalSteps: 300, chunks: 5, seed: 11 } satisfies Omit<RegimeOptions, 'regime'>;

/** counts[i] = how often example i appears in steps [from, to). */
function counts(s: RegimeScheduler, from = 0, to = s.totalSteps): Int32Array {
  const c = new Int32Array(s.options.numTrain);
  for (let step = from; step < to; step++) for (const i of s.batchIndices(step)) c[i]++;
  return c;
}

function steps(s: RegimeScheduler, from: number, to: number): number[][] {
  return Array.from({ length: to - from }, (_, k) => Array.from(s.batchIndices(from + k)));
}

describe('createRegimeScheduler', () => {
  it('gives every regime the same step budget of full batches of valid indices', () => {
    for (const regime of ['iid', 'continual', 'cumulative', 'last', 'hybrid'] as RegimeName[]) {
      const s = createRegimeScheduler({ ...base, regime });
      const total = counts(s).reduce((a, b) => a + b, 0);
      expect(total).toBe(base.totalSteps * base.batchSize);
      expect(() => s.batchIndices(base.totalSteps)).toThrow(RegimeError);
      expect(() => s.batchIndices(-1)).toThrow(/step -1/);
    }
  });

  it('iid: every example appears floor or ceil of steps*batch/n times, batches differ between epochs', () => {
    const s = createRegimeScheduler({ ...base, regime: 'iid' });
    const c = counts(s);
    const expected = (base.totalSteps * base.batchSize) / base.numTrain; // 9.6
    expect(Math.min(...c)).toBe(Math.floor(expected));
    expect(Math.max(...c)).toBe(Math.ceil(expected));
    // the first epoch (steps 0..30, 992 draws) has no repeats
    const firstEpoch = steps(s, 0, 31).flat();
    expect(new Set(firstEpoch).size).toBe(firstEpoch.length);
    expect(s.seenExamples(31)).toBe(992);
    expect(s.seenExamples(40)).toBe(1000);
  });

  it('continual: chunk k trains only on its chunk, never revisits an earlier chunk, counts match its step share', () => {
    const s = createRegimeScheduler({ ...base, regime: 'continual' });
    const owner = new Map<number, number>();
    let lastChunk = -1;
    for (let step = 0; step < base.totalSteps; step++) {
      const { chunk, phase, poolSize } = s.phaseAt(step);
      expect(phase).toBe('continual');
      expect(poolSize).toBe(200);
      expect(chunk).toBeGreaterThanOrEqual(lastChunk);
      lastChunk = chunk;
      for (const i of s.batchIndices(step)) {
        const before = owner.get(i);
        if (before !== undefined) expect(before).toBe(chunk);
        owner.set(i, chunk);
      }
    }
    expect(owner.size).toBe(1000);
    // each chunk: 60 steps x 32 = 1920 draws over 200 examples = 9.6 visits
    const c = counts(s);
    expect(Math.min(...c)).toBe(9);
    expect(Math.max(...c)).toBe(10);
    expect(s.seenExamples(60)).toBe(200);
    expect(s.seenExamples(150)).toBe(600);
  });

  it('cumulative: phase k draws from chunks 0..k only, so early examples are seen more often', () => {
    const s = createRegimeScheduler({ ...base, regime: 'cumulative' });
    const firstPhase = new Set(steps(s, 0, 60).flat());
    expect(firstPhase.size).toBe(200);
    for (let step = 60; step < 120; step++) expect(s.phaseAt(step).poolSize).toBe(400);
    const secondPhase = new Set(steps(s, 60, 120).flat());
    for (const i of firstPhase) expect(secondPhase.has(i)).toBe(true);
    expect(secondPhase.size).toBe(400);
    const c = counts(s);
    const firstMean = [...firstPhase].reduce((a, i) => a + c[i], 0) / firstPhase.size;
    const seenBeforeLastPhase = new Set(steps(s, 0, 240).flat());
    const lastChunk = [...c.keys()].filter((i) => !seenBeforeLastPhase.has(i));
    const lastMean = lastChunk.reduce((a, i) => a + c[i], 0) / lastChunk.length;
    expect(lastChunk.length).toBe(200);
    expect(firstMean).toBeGreaterThan(3 * lastMean);
  });

  it('last: trains the full budget on lastFraction of the data only, which is the end of the continual stream', () => {
    const s = createRegimeScheduler({ ...base, regime: 'last', lastFraction: 0.1 });
    const c = counts(s);
    const used = [...c.keys()].filter((i) => c[i] > 0);
    expect(used.length).toBe(100);
    expect(Math.min(...used.map((i) => c[i]))).toBe(96);
    const continual = createRegimeScheduler({ ...base, regime: 'continual', chunks: 10 });
    const lastChunk = new Set(steps(continual, 270, 300).flat());
    expect(new Set(used)).toEqual(lastChunk);
  });

  it("hybrid (the authors'): a continual pass over the whole stream until the switch fraction, then iid over all data", () => {
    const h = createRegimeScheduler({ ...base, regime: 'hybrid', hybridSwitchFraction: 0.4 });
    expect(h.phaseAt(119).phase).toBe('continual');
    expect(h.phaseAt(120).phase).toBe('iid');
    expect(h.phaseAt(120).poolSize).toBe(1000);
    // the continual phase is the whole `continual` run compressed into 120 steps: every chunk, every example
    expect(h.seenExamples(120)).toBe(1000);
    const c = createRegimeScheduler({ ...base, regime: 'continual', totalSteps: 120 });
    expect(steps(h, 0, 120)).toEqual(steps(c, 0, 120));
    const i = createRegimeScheduler({ ...base, regime: 'iid' });
    expect(new Set(steps(h, 120, 300).flat())).toEqual(new Set(steps(i, 0, 180).flat()));
  });

  it('reproduces the same batches after a JSON state round trip, including live switches', () => {
    const a = createRegimeScheduler({ ...base, regime: 'iid' });
    a.switchTo('continual', 50);
    a.switchTo('iid', 200);
    const state = JSON.parse(JSON.stringify(a.getState()));
    const b = createRegimeScheduler({ ...base, regime: 'iid' });
    b.setState(state);
    expect(b.regime).toBe('iid');
    expect(b.switches).toEqual([{ regime: 'continual', atStep: 50 }, { regime: 'iid', atStep: 200 }]);
    expect(steps(b, 150, 300)).toEqual(steps(a, 150, 300));
    expect(steps(createRegimeScheduler({ ...base, regime: 'iid', seed: 12 }), 0, 3)).not.toEqual(steps(a, 0, 3));
    const other = createRegimeScheduler({ ...base, regime: 'iid', batchSize: 64 });
    expect(() => other.setState(state)).toThrow(/batchSize = 32/);
  });

  it('a switch to continual keeps the past and spreads the remaining steps over the data not yet seen', () => {
    const s = createRegimeScheduler({ ...base, regime: 'iid' });
    const before = steps(s, 0, 10);
    const seen = new Set(before.flat()); // 320 examples
    expect(s.switchTo('continual', 10)).toBe(true);
    expect(s.regime).toBe('continual');
    expect(steps(s, 0, 10)).toEqual(before);
    const after = steps(s, 10, 300).flat();
    for (const i of after) expect(seen.has(i)).toBe(false);
    expect(new Set(after).size).toBe(680);
    expect(s.phaseAt(10).chunks).toBe(3); // 680 unseen ~ 3 chunks of the original size 200
    expect(s.seenExamples(300)).toBe(1000);
    expect(s.switchTo('continual', 20)).toBe(false);
  });

  it('a switch to continual after everything was seen starts a new single pass over all data in a new order', () => {
    const s = createRegimeScheduler({ ...base, regime: 'iid' });
    s.switchTo('continual', 100);
    const after = steps(s, 100, 300);
    expect(s.phaseAt(100).chunks).toBe(5);
    expect(new Set(after.flat()).size).toBe(1000);
    const firstChunk = new Set(after.slice(0, 40).flat());
    expect(firstChunk.size).toBe(200);
    for (const i of after.slice(40).flat()) expect(firstChunk.has(i)).toBe(false);
  });

  it('rejects bad options, steps and switches with RegimeError naming the value', () => {
    expect(() => createRegimeScheduler({ ...base, regime: 'nope' as RegimeName })).toThrow(/'nope'/);
    expect(() => createRegimeScheduler({ ...base, regime: 'iid', batchSize: 0 })).toThrow(/batchSize 0/);
    expect(() => createRegimeScheduler({ ...base, regime: 'continual', chunks: 2000 })).toThrow(/chunks 2000/);
    expect(() => createRegimeScheduler({ ...base, regime: 'hybrid', hybridSwitchFraction: 1 })).toThrow(RegimeError);
    const s = createRegimeScheduler({ ...base, regime: 'iid' });
    s.switchTo('continual', 100);
    expect(() => s.switchTo('iid', 50)).toThrow(/atStep 50/);
    expect(() => s.switchTo('iid', 300)).toThrow(/step 300/);
    expect(() => s.switchTo('last' as 'iid', 200)).toThrow(/'last'/);
  });
});

describe('seenExamples', () => {
  it('gives the same counts stepping forward one step at a time as computed from scratch, across a switch', () => {
    const a = createRegimeScheduler({ ...base, regime: 'continual' });
    const forward: number[] = [];
    for (let step = 0; step <= 120; step++) forward.push(a.seenExamples(step));
    a.switchTo('iid', 120);
    for (let step = 120; step <= 300; step += 7) forward.push(a.seenExamples(step));
    const b = createRegimeScheduler({ ...base, regime: 'continual' });
    const fresh = Array.from({ length: 121 }, (_, step) => createRegimeScheduler({ ...base, regime: 'continual' }).seenExamples(step));
    b.switchTo('iid', 120);
    for (let step = 120; step <= 300; step += 7) {
      const c = createRegimeScheduler({ ...base, regime: 'continual' });
      c.switchTo('iid', 120);
      fresh.push(c.seenExamples(step));
    }
    expect(forward).toEqual(fresh);
    expect(forward[60]).toBe(200);
    expect(forward[forward.length - 1]).toBe(1000);
    expect(b.seenExamples(0)).toBe(0);
  });
});
