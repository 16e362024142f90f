/**
 * Typed errors of `siamwatch serve` / `siamwatch watch`: a request the server refuses (with its HTTP status) and a
 * configuration it refuses to start with. Reader errors keep their own type (`EmbeddingFormatError`).
 */

/** Why a request was refused; `status` is the HTTP status the server answers with. */
export type IngestErrorCode =
  | 'bad-query'
  | 'bad-run'
  | 'bad-value'
  | 'bad-sketch'
  | 'dimension-changed'
  | 'unauthorized'
  | 'too-large'
  | 'late-step'
  | 'not-found'
  | 'method-not-allowed'
  | 'too-many-runs';

const STATUS: Record<IngestErrorCode, number> = {
  'bad-query': 400,
  'bad-run': 400,
  'bad-value': 400,
  'bad-sketch': 400,
  'dimension-changed': 400,
  unauthorized: 401,
  'too-large': 413,
  'late-step': 409,
  'not-found': 404,
  'method-not-allowed': 405,
  'too-many-runs': 503,
};

/** A refused request: the message names the bad value (e.g. `query parameter step: expected an integer >= 0, got 'x'`). */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  readonly code: IngestErrorCode;
  readonly status: number;

  constructor(code: IngestErrorCode, message: string) {
    super(message);
    this.code = code;
    this.status = STATUS[code];
  }
}

/** A configuration `siamwatch serve` / `watch` refuses to start with (no token on a public host, bad flag...). */
export class ServeConfigError extends Error {
  override readonly name = 'ServeConfigError';
}
