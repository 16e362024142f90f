/**
 * Options, defaults, validation and shared types of the training regimes (Li, Efros & Pathak,
 * ECCV 2022, Sec. 5: multi-epoch vs. continual training at matched compute). The total number
 * of optimisation steps is identical across regimes for a given budget; only which examples
 * fill each batch differs.
 */

/** A training regime: which examples may appear in the batch of each step. */
export type RegimeName = 'iid' | 'continual' | 'cumulative' | 'last' | 'hybrid';

/** A regime a running scheduler can switch to live. */
export type SwitchTarget = 'iid' | 'continual';

/** What a step actually does (a `hybrid` run is `continual` phases followed by an `iid` phase). */
export type PhaseKind = 'iid' | 'continual' | 'cumulative' | 'last';

/** Options of {@link createRegimeScheduler}. */
export interface RegimeOptions {
  regime: RegimeName;
  /** Number of training examples; batches hold indices in [0, numTrain). */
  numTrain: number;
  batchSize: number;
  /** The step budget; identical for every regime (compute-matched). */
  totalSteps: number;
  /** Consecutive chunks of the stream for `continual`/`cumulative`/`hybrid` (default 10). */
  chunks?: number;
  /** `hybrid`: fraction of the steps trained continually before switching to iid (default 0.5). */
  hybridSwitchFraction?: number;
  /** `last`: fraction of the data (the end of the stream) trained for the full budget (default 1/chunks). */
  lastFraction?: number;
  /**
   * Order of the stream that chunks are cut from: `shuffled` (default: a seeded permutation, the
   * data-incremental setting) or `given` (dataset order, e.g. pre-sorted by class for a
   * class-incremental stream).
   */
  streamOrder?: 'shuffled' | 'given';
  seed: number;
}

/** {@link RegimeOptions} with every default filled in. */
export type ResolvedRegimeOptions = Required<RegimeOptions>;

/** A live switch recorded in the scheduler's history. */
export interface RegimeSwitch {
  regime: SwitchTarget;
  atStep: number;
}

/** The JSON-serialisable state of a scheduler: enough to reproduce every batch. */
export interface RegimeState {
  version: 1;
  options: ResolvedRegimeOptions;
  switches: RegimeSwitch[];
}

/** Raised for invalid regime options, steps, switches or states; the message names the value. */
export class RegimeError extends Error {
  override readonly name = 'RegimeError';
}

/** Default number of chunks of the continual stream. */
export const DEFAULT_CHUNKS = 10;
/** Default fraction of the budget a `hybrid` run trains continually. */
export const DEFAULT_HYBRID_SWITCH_FRACTION = 0.5;

const REGIMES: readonly RegimeName[] = ['iid', 'continual', 'cumulative', 'last', 'hybrid'];

function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RegimeError(`${name} ${String(value)} must be a positive integer`);
  }
  return value;
}

/** Validates `options` and fills in defaults; throws {@link RegimeError} naming the bad value. */
export function resolveRegimeOptions(options: RegimeOptions): ResolvedRegimeOptions {
  if (!REGIMES.includes(options.regime)) {
    throw new RegimeError(`regime '${String(options.regime)}' must be one of ${REGIMES.join(', ')}`);
  }
  const numTrain = positiveInt('numTrain', options.numTrain);
  const batchSize = positiveInt('batchSize', options.batchSize);
  const totalSteps = positiveInt('totalSteps', options.totalSteps);
  const chunks = positiveInt('chunks', options.chunks ?? DEFAULT_CHUNKS);
  if (chunks > numTrain) throw new RegimeError(`chunks ${chunks} exceeds numTrain ${numTrain}: a chunk would be empty`);
  const hybridSwitchFraction = options.hybridSwitchFraction ?? DEFAULT_HYBRID_SWITCH_FRACTION;
  if (!(hybridSwitchFraction > 0 && hybridSwitchFraction < 1)) {
    throw new RegimeError(`hybridSwitchFraction ${String(hybridSwitchFraction)} must be in (0, 1)`);
  }
  const lastFraction = options.lastFraction ?? 1 / chunks;
  if (!(lastFraction > 0 && lastFraction <= 1)) {
    throw new RegimeError(`lastFraction ${String(lastFraction)} must be in (0, 1]`);
  }
  const streamOrder = options.streamOrder ?? 'shuffled';
  if (streamOrder !== 'shuffled' && streamOrder !== 'given') {
    throw new RegimeError(`streamOrder '${String(streamOrder)}' must be 'shuffled' or 'given'`);
  }
  if (!Number.isSafeInteger(options.seed)) throw new RegimeError(`seed ${String(options.seed)} must be an integer`);
  return { regime: options.regime, numTrain, batchSize, totalSteps, chunks, hybridSwitchFraction, lastFraction, streamOrder, seed: options.seed };
}
