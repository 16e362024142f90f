/**
 * Shared pieces of the step-time benchmarks (`bench:telemetry`, `bench:monitor`): option
 * validation with a typed error naming the flag and its value, and an order-statistic quantile.
 */

/** A benchmark flag with a bad value; the message names the flag and what it got. */
export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';
}

/** Parses `--flag` as a positive integer or throws {@link BenchOptionError}. */
export function positiveIntegerOption(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new BenchOptionError(`--${flag} must be a positive integer, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** The q-quantile (0..1) of `xs` by the nearest-rank method; `xs` must not be empty. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) throw new BenchOptionError('quantile of an empty sample');
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
