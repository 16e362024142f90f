/**
 * Small statistics helpers shared by the onset detector, the forecast features and
 * the calibration fit. Each ignores nothing: callers filter non-finite values first.
 */

/** Median of `values` (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Arithmetic mean (NaN for an empty list). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** Population standard deviation (NaN for an empty list). */
export function standardDeviation(values: readonly number[]): number {
  const m = mean(values);
  let sum = 0;
  for (const v of values) sum += (v - m) * (v - m);
  return Math.sqrt(sum / values.length);
}

/**
 * Least-squares slope of `y` against `x` (units of y per unit of x); 0 when fewer
 * than two points or when all `x` are equal.
 */
export function slope(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  const mx = mean(x.slice(0, n));
  const my = mean(y.slice(0, n));
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/**
 * Split-conformal quantile: the ceil((n + 1) * level)-th smallest of `scores`
 * (absolute residuals). With exchangeable data an interval of this half-width covers
 * a new point with probability at least `level`. Returns Infinity when n is too
 * small for the level (ceil((n + 1) * level) > n).
 */
export function conformalQuantile(scores: readonly number[], level: number): number {
  const sorted = [...scores].sort((a, b) => a - b);
  const rank = Math.ceil((sorted.length + 1) * level);
  if (rank > sorted.length) return Number.POSITIVE_INFINITY;
  return sorted[Math.max(rank, 1) - 1];
}
