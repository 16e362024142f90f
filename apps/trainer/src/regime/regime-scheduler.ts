/**
 * The regime scheduler: which training examples fill the batch of each optimisation step, for
 * multi-epoch (`iid`), continual, cumulative, last-chunk and hybrid training at matched compute
 * (Li, Efros & Pathak, ECCV 2022), with live switches between `iid` and `continual` (e.g. when
 * the collapse monitor fires). `batchIndices(step)` is a pure function of (options, switch
 * history, step): a resumed run that restores `getState()` replays the identical batches.
 * The plan itself is documented in `regime-plan.ts`.
 */
import { buildPlan, seenMask, segmentPermutation, type RegimeSegment } from './regime-plan.ts';
import {
  RegimeError,
  resolveRegimeOptions,
  type PhaseKind,
  type RegimeName,
  type RegimeOptions,
  type RegimeState,
  type RegimeSwitch,
  type ResolvedRegimeOptions,
  type SwitchTarget,
} from './regime-options.ts';

/** What a given step trains on. */
export interface RegimePhase {
  phase: PhaseKind;
  /** Chunk index within the current pass and the number of chunks of that pass (1 for iid/last). */
  chunk: number;
  chunks: number;
  /** Number of distinct examples the step's batch is drawn from. */
  poolSize: number;
  /** The step range of this phase, [segmentStart, segmentEnd). */
  segmentStart: number;
  segmentEnd: number;
}

/** Produces the batch of every step of a compute-matched training regime. */
export interface RegimeScheduler {
  /** The options with defaults filled in. */
  readonly options: ResolvedRegimeOptions;
  /** The current regime: the configured one, or the target of the latest live switch. */
  readonly regime: RegimeName;
  readonly totalSteps: number;
  /** Indices (into the train set) of the `batchSize` examples of `step`, 0 <= step < totalSteps. */
  batchIndices(step: number): Int32Array;
  /** The phase (kind, chunk, pool size) of `step`. */
  phaseAt(step: number): RegimePhase;
  /** Distinct examples that appeared in the batches of steps 0 .. step-1. */
  seenExamples(step: number): number;
  /**
   * Switches live to `regime` from `atStep` on (keeps the step budget; see `regime-plan.ts`).
   * Returns false, changing nothing, when `atStep` already trains in that regime.
   */
  switchTo(regime: SwitchTarget, atStep: number): boolean;
  /** The live switches so far. */
  readonly switches: readonly RegimeSwitch[];
  /** JSON-serialisable state (options and switch history). */
  getState(): RegimeState;
  /** Restores a state from `getState()`; its options must equal this scheduler's. */
  setState(state: RegimeState): void;
}

const PERMUTATION_CACHE_SIZE = 8;

/** Creates a scheduler; throws {@link RegimeError} for invalid options. */
export function createRegimeScheduler(rawOptions: RegimeOptions): RegimeScheduler {
  const options = resolveRegimeOptions(rawOptions);
  const { batchSize, totalSteps } = options;
  let switches: RegimeSwitch[] = [];
  let plan: RegimeSegment[] = buildPlan(options, switches);
  const permutations = new Map<string, Int32Array>();
  // seenExamples is called every logged step: extend the last mask by the batches in between
  // instead of recomputing it (O(batch) per step instead of O(numTrain)).
  let seen: { step: number; mask: Uint8Array; count: number } | undefined;

  const checkStep = (step: number, what: string, allowEnd = false): void => {
    const max = allowEnd ? totalSteps : totalSteps - 1;
    if (!Number.isSafeInteger(step) || step < 0 || step > max) {
      throw new RegimeError(`${what}: step ${String(step)} is outside [0, ${max}] (totalSteps ${totalSteps})`);
    }
  };
  const segmentAt = (step: number): RegimeSegment => {
    let lo = 0;
    let hi = plan.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (plan[mid].start <= step) lo = mid;
      else hi = mid - 1;
    }
    return plan[lo];
  };
  const permutation = (segment: RegimeSegment, epoch: number): Int32Array => {
    const key = `${segment.ordinal}:${segment.chunk}:${segment.start}:${epoch}`;
    let perm = permutations.get(key);
    if (perm === undefined) {
      perm = segmentPermutation(options, segment, epoch);
      if (permutations.size >= PERMUTATION_CACHE_SIZE) permutations.delete(permutations.keys().next().value as string);
      permutations.set(key, perm);
    }
    return perm;
  };
  const rebuild = (next: RegimeSwitch[]): void => {
    plan = buildPlan(options, next);
    switches = next;
    permutations.clear();
    seen = undefined;
  };
  const validateSwitch = (change: RegimeSwitch, previous: RegimeSwitch | undefined): void => {
    if (change.regime !== 'iid' && change.regime !== 'continual') {
      throw new RegimeError(`switchTo: regime '${String(change.regime)}' must be 'iid' or 'continual'`);
    }
    checkStep(change.atStep, 'switchTo');
    if (previous !== undefined && change.atStep < previous.atStep) {
      throw new RegimeError(`switchTo: atStep ${change.atStep} is before the previous switch at step ${previous.atStep}`);
    }
  };

  const batchIndices = (step: number): Int32Array => {
    checkStep(step, 'batchIndices');
    const segment = segmentAt(step);
    const size = segment.pool.length;
    const out = new Int32Array(batchSize);
    let pos = (step - segment.start) * batchSize;
    for (let i = 0; i < batchSize; i++, pos++) {
      out[i] = permutation(segment, Math.floor(pos / size))[pos % size];
    }
    return out;
  };

  return {
    options,
    totalSteps,
    get regime(): RegimeName {
      return switches.length > 0 ? switches[switches.length - 1].regime : options.regime;
    },
    get switches(): readonly RegimeSwitch[] {
      return switches.map((s) => ({ ...s }));
    },
    batchIndices,
    phaseAt(step: number): RegimePhase {
      checkStep(step, 'phaseAt');
      const s = segmentAt(step);
      return { phase: s.phase, chunk: s.chunk, chunks: s.chunks, poolSize: s.pool.length, segmentStart: s.start, segmentEnd: s.end };
    },
    seenExamples(step: number): number {
      checkStep(step, 'seenExamples', true);
      if (seen === undefined || step < seen.step || (step - seen.step) * batchSize > options.numTrain) {
        const mask = seenMask(options, plan, step);
        seen = { step, mask, count: mask.reduce((sum, v) => sum + v, 0) };
        return seen.count;
      }
      for (let s = seen.step; s < step; s++) {
        for (const i of batchIndices(s)) {
          if (seen.mask[i] === 0) {
            seen.mask[i] = 1;
            seen.count++;
          }
        }
      }
      seen.step = step;
      return seen.count;
    },
    switchTo(regime: SwitchTarget, atStep: number): boolean {
      const change = { regime, atStep };
      validateSwitch(change, switches[switches.length - 1]);
      if (segmentAt(atStep).phase === regime) return false;
      rebuild([...switches, change]);
      return true;
    },
    getState(): RegimeState {
      return { version: 1, options: { ...options }, switches: switches.map((s) => ({ ...s })) };
    },
    setState(state: RegimeState): void {
      if (state === null || typeof state !== 'object' || state.version !== 1) {
        throw new RegimeError(`setState: state version ${String((state as { version?: unknown } | null)?.version)} is not 1`);
      }
      for (const key of Object.keys(options) as (keyof ResolvedRegimeOptions)[]) {
        if (state.options?.[key] !== options[key]) {
          throw new RegimeError(`setState: saved option ${key} = ${String(state.options?.[key])} differs from ${String(options[key])}`);
        }
      }
      if (!Array.isArray(state.switches)) throw new RegimeError(`setState: switches ${String(state.switches)} is not an array`);
      state.switches.forEach((change, i) => validateSwitch(change, state.switches[i - 1]));
      rebuild(state.switches.map((s) => ({ regime: s.regime, atStep: s.atStep })));
    },
  };
}
