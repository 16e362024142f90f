/**
 * The typed error of `siamwatch analyze`: bad flags, and metric failures on an
 * input file (re-raised with the file name, so the one-line message says which
 * input is wrong). Reader errors keep their own type (`EmbeddingFormatError`).
 */
import { CollapseMetricsError } from '@siamwatch/collapse-metrics';

/** Why `siamwatch analyze` refused to run or stopped. */
export type AnalyzeErrorCode = 'bad-option' | 'bad-input';

/**
 * Raised by `siamwatch analyze` for a bad flag value (`bad-option`, message
 * names the flag and the value) or an input the metrics reject (`bad-input`,
 * message starts with the file, e.g. `x.npy: need at least 2 rows, got 1`).
 */
export class AnalyzeError extends Error {
  override readonly name = 'AnalyzeError';
  readonly code: AnalyzeErrorCode;

  constructor(code: AnalyzeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Runs `compute` and re-raises a `CollapseMetricsError` (too few rows,
 * NaN/Infinity in a row, ...) as an {@link AnalyzeError} prefixed with `path`
 * and the metrics error code; other errors pass through unchanged.
 */
export function withInputContext<T>(path: string, compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    throw asInputError(path, error);
  }
}

/** The error to raise for `error` thrown while analysing `path` (see {@link withInputContext}). */
export function asInputError(path: string, error: unknown): unknown {
  if (error instanceof CollapseMetricsError) {
    return new AnalyzeError('bad-input', `${path}: ${error.message} (${error.code})`, { cause: error });
  }
  return error;
}
