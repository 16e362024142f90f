/**
 * The plan of a regime: the step range [0, totalSteps) cut into segments, each with a pool of
 * example indices that its batches cycle through (a fresh seeded permutation of the pool per
 * pass). Built as a pure function of the options and the switch history, so a resumed run
 * rebuilds the identical plan and therefore the identical batches.
 *
 * - `iid`: one segment, pool = all examples (multi-epoch, reshuffled every epoch).
 * - `continual`: the stream is cut into `chunks` consecutive chunks; chunk k gets a share of the
 *   steps proportional to its size and is never seen again afterwards.
 * - `cumulative`: same step shares, pool of phase k = chunks 0..k (a growing prefix).
 * - `last`: one segment, pool = the last `lastFraction` of the stream, full budget.
 * - `hybrid` (the paper authors' hybrid): `continual` over the whole stream within the first
 *   `hybridSwitchFraction * totalSteps` steps (the continual run's checkpoint), then a planned switch
 *   to `iid` on all data for the rest.
 *
 * A switch at step a keeps every step before a and re-plans [a, totalSteps):
 * - to `iid`: all examples, reshuffled every epoch.
 * - to `continual`: a fresh single pass over the examples not yet seen before step a, in stream
 *   order, cut into chunks of about the original chunk size. If fewer than one chunk's worth of
 *   examples (ceil(numTrain / chunks)) is unseen, the pass is over all examples in a new
 *   seeded order instead, with `chunks` chunks.
 */
import { createRng, deriveSeed } from '../util/rng.ts';
import type { PhaseKind, RegimeSwitch, ResolvedRegimeOptions } from './regime-options.ts';

/** One contiguous step range with the pool its batches draw from. */
export interface RegimeSegment {
  start: number;
  /** Exclusive. */
  end: number;
  pool: Int32Array;
  phase: PhaseKind;
  /** Chunk index within its pass (0 for iid/last) and the number of chunks of that pass. */
  chunk: number;
  chunks: number;
  /** Which plan (0 = base, then one per switch) the segment belongs to; seeds its permutations. */
  ordinal: number;
}

const STREAM_KEY = 0x5eed;

function identity(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** The stream order of a pass: the seeded permutation (or dataset order) examples arrive in. */
export function streamOrder(options: ResolvedRegimeOptions, ordinal: number): Int32Array {
  const ids = identity(options.numTrain);
  if (options.streamOrder === 'given' && ordinal === 0) return ids;
  return createRng(deriveSeed(options.seed, STREAM_KEY, ordinal)).shuffle(ids);
}

/** Splits `size` items into `chunks` near-equal consecutive ranges; returns the chunks + 1 bounds. */
export function chunkBounds(size: number, chunks: number): number[] {
  return Array.from({ length: chunks + 1 }, (_, k) => Math.round((k * size) / chunks));
}

/** Chunked segments over [start, end): continual (pool = chunk) or cumulative (pool = prefix). */
function chunkedSegments(stream: Int32Array, chunks: number, start: number, end: number, phase: 'continual' | 'cumulative', ordinal: number): RegimeSegment[] {
  const bounds = chunkBounds(stream.length, chunks);
  const segments: RegimeSegment[] = [];
  for (let k = 0; k < chunks; k++) {
    const s0 = start + Math.round(((end - start) * bounds[k]) / stream.length);
    const s1 = start + Math.round(((end - start) * bounds[k + 1]) / stream.length);
    if (s1 <= s0) continue; // a budget smaller than the number of chunks skips some chunks
    const pool = stream.subarray(phase === 'continual' ? bounds[k] : 0, bounds[k + 1]);
    segments.push({ start: s0, end: s1, pool, phase, chunk: k, chunks, ordinal });
  }
  return segments;
}

/** The step at which a `hybrid` run switches from its continual pass to `iid`. */
export function hybridSwitchStep(options: ResolvedRegimeOptions): number {
  return Math.round(options.hybridSwitchFraction * options.totalSteps);
}

/** The base plan of the configured regime, before any live switch. */
function basePlan(options: ResolvedRegimeOptions): RegimeSegment[] {
  const { numTrain, totalSteps, chunks } = options;
  switch (options.regime) {
    case 'iid':
      return [{ start: 0, end: totalSteps, pool: identity(numTrain), phase: 'iid', chunk: 0, chunks: 1, ordinal: 0 }];
    case 'last': {
      const size = Math.max(1, Math.round(options.lastFraction * numTrain));
      const pool = streamOrder(options, 0).subarray(numTrain - size);
      return [{ start: 0, end: totalSteps, pool, phase: 'last', chunk: 0, chunks: 1, ordinal: 0 }];
    }
    case 'cumulative':
      return chunkedSegments(streamOrder(options, 0), chunks, 0, totalSteps, 'cumulative', 0);
    case 'continual':
      return chunkedSegments(streamOrder(options, 0), chunks, 0, totalSteps, 'continual', 0);
    case 'hybrid':
      return chunkedSegments(streamOrder(options, 0), chunks, 0, hybridSwitchStep(options), 'continual', 0);
  }
}

/** The permutation of `segment.pool` used for its `epoch`-th pass. */
export function segmentPermutation(options: ResolvedRegimeOptions, segment: RegimeSegment, epoch: number): Int32Array {
  return createRng(deriveSeed(options.seed, segment.ordinal, segment.chunk, epoch)).shuffle(Int32Array.from(segment.pool));
}

/** Marks (1) every example that appears in a batch of the steps before `step`. */
export function seenMask(options: ResolvedRegimeOptions, plan: readonly RegimeSegment[], step: number): Uint8Array {
  const mask = new Uint8Array(options.numTrain);
  for (const segment of plan) {
    if (segment.start >= step) continue;
    const draws = (Math.min(segment.end, step) - segment.start) * options.batchSize;
    if (draws >= segment.pool.length) {
      for (const i of segment.pool) mask[i] = 1;
    } else {
      const perm = segmentPermutation(options, segment, 0);
      for (let j = 0; j < draws; j++) mask[perm[j]] = 1;
    }
  }
  return mask;
}

function applySwitch(options: ResolvedRegimeOptions, plan: RegimeSegment[], change: RegimeSwitch, ordinal: number): RegimeSegment[] {
  const at = change.atStep;
  const kept = plan.filter((s) => s.start < at).map((s) => ({ ...s, end: Math.min(s.end, at) }));
  const { numTrain, totalSteps, chunks } = options;
  if (change.regime === 'iid') {
    return [...kept, { start: at, end: totalSteps, pool: identity(numTrain), phase: 'iid', chunk: 0, chunks: 1, ordinal }];
  }
  const mask = seenMask(options, kept, at);
  const stream = streamOrder(options, 0);
  const unseen = stream.filter((i) => mask[i] === 0);
  const chunkSize = Math.ceil(numTrain / chunks);
  if (unseen.length >= chunkSize) {
    const newChunks = Math.max(1, Math.min(unseen.length, Math.round((chunks * unseen.length) / numTrain)));
    return [...kept, ...chunkedSegments(unseen, newChunks, at, totalSteps, 'continual', ordinal)];
  }
  return [...kept, ...chunkedSegments(streamOrder(options, ordinal), chunks, at, totalSteps, 'continual', ordinal)];
}

/**
 * The full plan for `options` and the live `switches` (sorted by step). A `hybrid` regime's
 * planned switch to iid is dropped when a live switch happens at or before it.
 */
export function buildPlan(options: ResolvedRegimeOptions, switches: readonly RegimeSwitch[]): RegimeSegment[] {
  const effective: RegimeSwitch[] = [];
  if (options.regime === 'hybrid') {
    const at = hybridSwitchStep(options);
    const first = switches[0];
    if (at > 0 && at < options.totalSteps && (first === undefined || first.atStep > at)) effective.push({ regime: 'iid', atStep: at });
  }
  effective.push(...switches);
  // Ordinals count the effective switches, so `hybrid` and `continual` + switchTo('iid', same step)
  // produce identical batches.
  return effective.reduce((plan, change, i) => applySwitch(options, plan, change, i + 1), basePlan(options));
}
