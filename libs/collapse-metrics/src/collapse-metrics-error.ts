/**
 * Typed error of `@siamwatch/collapse-metrics`.
 *
 * Every function of this library validates its input and throws this error, never a bare `Error`,
 * so that callers can tell bad data (a NaN in row 3, a matrix of the wrong length) from bugs.
 */

/**
 * Machine-readable reason of a {@link CollapseMetricsError}.
 *
 * - `non-finite`: a NaN or an infinity in the input (the message names its row and column).
 * - `too-few-rows`: fewer than 2 rows, so no covariance exists.
 * - `zero-dim`: a dimension of 0 (or not a positive integer).
 * - `shape-mismatch`: the data length is not `n * d`, or two accumulators disagree on `dim`.
 * - `bad-count`: `n` is not a non-negative integer.
 * - `bad-option`: an option is out of range (decay outside (0, 1], fraction outside (0, 1]).
 * - `not-symmetric`: a matrix given to the eigensolver is not symmetric.
 * - `negative-value`: a spectrum holds a negative singular value.
 * - `empty-spectrum`: a spectrum of length 0.
 * - `bad-state`: a serialised accumulator state is malformed.
 * - `no-convergence`: the tridiagonal QL iteration did not converge (never seen on finite input).
 * - `kernel-unavailable`: the WebAssembly SIMD kernel was asked for (`kernel: 'simd'`) but this
 *   runtime lacks WebAssembly SIMD, or `d` is too large for it.
 */
export type CollapseMetricsErrorCode =
  | 'non-finite'
  | 'too-few-rows'
  | 'zero-dim'
  | 'shape-mismatch'
  | 'bad-count'
  | 'bad-option'
  | 'not-symmetric'
  | 'negative-value'
  | 'empty-spectrum'
  | 'bad-state'
  | 'no-convergence'
  | 'kernel-unavailable';

/**
 * Error thrown on bad input to any collapse-metrics function.
 * `name` is `'CollapseMetricsError'`; `code` says what was wrong, the message names the bad value
 * (for example `row 3, column 7 is NaN`).
 */
export class CollapseMetricsError extends Error {
  /** What was wrong, see {@link CollapseMetricsErrorCode}. */
  readonly code: CollapseMetricsErrorCode;

  constructor(code: CollapseMetricsErrorCode, message: string) {
    super(message);
    this.name = 'CollapseMetricsError';
    this.code = code;
  }
}

/** Describes a non-finite number the way error messages name it: `NaN`, `Infinity` or `-Infinity`. */
export function describeNonFinite(value: number): string {
  return Number.isNaN(value) ? 'NaN' : String(value);
}
