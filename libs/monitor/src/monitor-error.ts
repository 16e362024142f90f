/**
 * Codes carried by {@link MonitorError}: what kind of bad input was rejected.
 * - `invalid-option`: a {@link MonitorOptions} field out of range.
 * - `invalid-observation`: an embedding batch with a bad shape or non-finite values.
 * - `invalid-calibration`: a calibration document that fails validation on load.
 * - `invalid-run`: a calibration run (or its `metrics.jsonl` lines) that cannot be used.
 * - `insufficient-data`: too few runs or rows to fit or compute something.
 */
export type MonitorErrorCode =
  | 'invalid-option'
  | 'invalid-observation'
  | 'invalid-calibration'
  | 'invalid-run'
  | 'insufficient-data';

/**
 * The typed error of `@siamwatch/monitor`: `name` is `'MonitorError'`, `code` says
 * what kind of input was bad, and the message names the bad value.
 */
export class MonitorError extends Error {
  override readonly name = 'MonitorError';
  readonly code: MonitorErrorCode;

  constructor(code: MonitorErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Formats a value for an error message (short, JSON when possible). */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

/** Throws `MonitorError('invalid-option')` unless `value` is a finite number in `[min, max]`. */
export function requireNumberInRange(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new MonitorError(
      'invalid-option',
      `${name} must be a finite number in [${min}, ${max}], got ${describeValue(value)}`,
    );
  }
  return value;
}

/** Throws `MonitorError('invalid-option')` unless `value` is an integer in `[min, max]`. */
export function requireIntegerInRange(name: string, value: unknown, min: number, max: number): number {
  const n = requireNumberInRange(name, value, min, max);
  if (!Number.isInteger(n)) {
    throw new MonitorError('invalid-option', `${name} must be an integer, got ${describeValue(value)}`);
  }
  return n;
}
