import { MonitorError, describeValue, requireIntegerInRange, requireNumberInRange } from './monitor-error.ts';

/**
 * How the monitor samples embeddings between checks.
 * - `mode`: `reservoir` (default) keeps a uniform sample of at most `capacity` rows
 *   of the batches since the last check, so each check sees the current model only;
 *   `moments` streams up to `rowsPerBatch` rows per batch into a decayed
 *   `MomentAccumulator` (memory d x d, no rows kept).
 * - `capacity`: reservoir rows (default 1024; use >= 2 d for a full-rank estimate).
 * - `decay`: moment decay per observed batch (default 0.98, ~50 recent batches).
 * - `rowsPerBatch`: rows per batch fed to the accumulator (default 64; its cost is
 *   rowsPerBatch x d^2 / 2 multiply-adds per batch).
 * - `normalize`: L2-normalise rows before the spectrum (default false, like the paper's backbone spectra).
 * - `seed`: seed of the sampling random generator (default 1).
 */
export interface SamplingOptions {
  mode: 'reservoir' | 'moments';
  capacity: number;
  decay: number;
  rowsPerBatch: number;
  normalize: boolean;
  seed: number;
}

/** {@link SamplingOptions} after defaults and validation. */
export type ResolvedSamplingOptions = Readonly<SamplingOptions>;

/** Defaults of {@link SamplingOptions}. */
export const DEFAULT_SAMPLING_OPTIONS: ResolvedSamplingOptions = Object.freeze({
  mode: 'reservoir',
  capacity: 1024,
  decay: 0.98,
  rowsPerBatch: 64,
  normalize: false,
  seed: 1,
});

/** Merges `partial` over the defaults and validates it (throws `MonitorError('invalid-option')`). */
export function resolveSamplingOptions(partial: Partial<SamplingOptions> = {}): ResolvedSamplingOptions {
  const o = { ...DEFAULT_SAMPLING_OPTIONS, ...partial };
  if (o.mode !== 'reservoir' && o.mode !== 'moments') {
    throw new MonitorError('invalid-option', `sampling.mode must be "reservoir" or "moments", got ${describeValue(o.mode)}`);
  }
  if (typeof o.normalize !== 'boolean') {
    throw new MonitorError('invalid-option', `sampling.normalize must be a boolean, got ${describeValue(o.normalize)}`);
  }
  return Object.freeze({
    mode: o.mode,
    capacity: requireIntegerInRange('sampling.capacity', o.capacity, 2, 1_000_000),
    decay: requireNumberInRange('sampling.decay', o.decay, 1e-6, 1),
    rowsPerBatch: requireIntegerInRange('sampling.rowsPerBatch', o.rowsPerBatch, 1, 1_000_000),
    normalize: o.normalize,
    seed: requireIntegerInRange('sampling.seed', o.seed, 0, 2 ** 32 - 1),
  });
}
