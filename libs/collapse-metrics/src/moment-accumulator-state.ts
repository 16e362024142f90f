/**
 * The serialisable state of a {@link MomentAccumulator} (for checkpoints) and its validation.
 */
import { CollapseMetricsError } from './collapse-metrics-error.ts';

/**
 * JSON-serialisable state of a moment accumulator: plain numbers, so `JSON.stringify` round-trips it
 * exactly (JavaScript prints the shortest decimal that parses back to the same float64).
 * `scatter` is the upper triangle of the centred scatter matrix, row by row (`d (d + 1) / 2` numbers,
 * ~20 bytes each as JSON: ~2.6 MB at d = 512, ~40 MB at d = 2048).
 */
export interface MomentAccumulatorState {
  /** Format version, currently 1. */
  version: 1;
  /** Dimension `d` of the rows. */
  dim: number;
  /** Whether rows are L2-normalised before accumulation. */
  normalize: boolean;
  /** Decay factor applied to the old state at each `add()` call (1 = none). */
  decay: number;
  /** Total weight of the accumulated rows (the row count when `decay` is 1). */
  count: number;
  /** Number of rows ever added (or merged), regardless of decay. */
  rowsSeen: number;
  /** Weighted mean of the rows, length `d`. */
  mean: number[];
  /** Upper triangle of the centred scatter matrix, row-major, length `d (d + 1) / 2`. */
  scatter: number[];
}

/** Checks every field of a state read back from JSON; throws `bad-state` naming the bad field. */
export function validateMomentAccumulatorState(state: unknown): MomentAccumulatorState {
  if (typeof state !== 'object' || state === null) {
    throw new CollapseMetricsError('bad-state', `accumulator state must be an object, got ${String(state)}`);
  }
  const s = state as Record<string, unknown>;
  if (s.version !== 1) {
    throw new CollapseMetricsError('bad-state', `unsupported accumulator state version ${String(s.version)}`);
  }
  const dim = s.dim;
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim <= 0) {
    throw new CollapseMetricsError('bad-state', `state.dim must be a positive integer, got ${String(dim)}`);
  }
  if (typeof s.normalize !== 'boolean') {
    throw new CollapseMetricsError('bad-state', `state.normalize must be a boolean, got ${String(s.normalize)}`);
  }
  checkNumber(s.decay, 'decay', (v) => v > 0 && v <= 1);
  checkNumber(s.count, 'count', (v) => v >= 0);
  checkNumber(s.rowsSeen, 'rowsSeen', (v) => Number.isInteger(v) && v >= 0);
  checkArray(s.mean, 'mean', dim);
  checkArray(s.scatter, 'scatter', (dim * (dim + 1)) / 2);
  return s as unknown as MomentAccumulatorState;
}

function checkNumber(value: unknown, field: string, ok: (v: number) => boolean): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new CollapseMetricsError('bad-state', `state.${field} is out of range: ${String(value)}`);
  }
}

function checkArray(value: unknown, field: string, length: number): void {
  if (!Array.isArray(value) || value.length !== length) {
    const got = Array.isArray(value) ? `length ${value.length}` : typeof value;
    throw new CollapseMetricsError('bad-state', `state.${field} must be an array of length ${length}, got ${got}`);
  }
  for (let k = 0; k < length; k++) {
    if (typeof value[k] !== 'number' || !Number.isFinite(value[k])) {
      throw new CollapseMetricsError('bad-state', `state.${field}[${k}] is not a finite number: ${String(value[k])}`);
    }
  }
}
