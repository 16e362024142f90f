/**
 * The typed error of `@siamwatch/embedding-io`: every malformed, truncated or
 * unsupported input raises an `EmbeddingFormatError` whose message names the
 * file and the offending value, so a CLI can print it as one line.
 */

/** Machine-readable reason of an {@link EmbeddingFormatError}. */
export type EmbeddingFormatErrorCode =
  | 'unreadable'
  | 'unknown-format'
  | 'bad-magic'
  | 'bad-header'
  | 'unsupported-version'
  | 'unsupported-dtype'
  | 'fortran-order'
  | 'bad-shape'
  | 'truncated'
  | 'trailing-bytes'
  | 'bad-offsets'
  | 'tensor-not-found'
  | 'ambiguous-tensor'
  | 'bad-value'
  | 'bad-argument';

/**
 * Raised for any input the readers refuse (the file is named in the message,
 * e.g. `x.npy: descr '<i8' is not supported: use float32 or float64`).
 * `code` classifies the failure; `path` is the file, or `''` for argument errors.
 */
export class EmbeddingFormatError extends Error {
  override readonly name = 'EmbeddingFormatError';
  readonly code: EmbeddingFormatErrorCode;
  readonly path: string;
  /** The message without the `path: ` prefix (what is wrong), for callers that wrap it in their own error. */
  readonly problem: string;

  constructor(code: EmbeddingFormatErrorCode, path: string, message: string) {
    super(path === '' ? message : `${path}: ${message}`);
    this.code = code;
    this.path = path;
    this.problem = message;
  }
}

/**
 * Renders an arbitrary value for an error message: strings quoted, numbers as
 * written, other values as (truncated) JSON; used so messages name the bad value.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Too deep (or cyclic) to print: String() would overflow the stack the same way.
    text = Array.isArray(value) ? `[an array nested too deeply to print]` : Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
