/**
 * The statistics behind the report's findings: mean and sample standard deviation over seeds, Pearson and
 * Spearman correlation across runs, and the least-squares line of a scatter plot.
 */

/** Raised for statistics on unusable input; the message names the bad value. */
export class ReportStatsError extends Error {
  override readonly name = 'ReportStatsError';
}

/** Mean and sample standard deviation (sd NaN for fewer than 2 values), with the count. */
export interface Spread {
  mean: number;
  sd: number;
  n: number;
}

/** Mean and sample sd of the finite values. */
export function spread(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: Number.NaN, sd: Number.NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : Number.NaN;
  return { mean, sd, n: v.length };
}

function checkPairs(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new ReportStatsError(`x and y must have the same length, got ${x.length} and ${y.length}`);
  const bad = [...x, ...y].find((v) => !Number.isFinite(v));
  if (bad !== undefined) throw new ReportStatsError(`values must be finite, got ${String(bad)}`);
}

/** Pearson correlation of paired samples (NaN for fewer than 3 pairs or a constant side). */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y);
  const n = x.length;
  if (n < 3) return Number.NaN;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Ranks 1..n with ties given their average rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const result = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j += 1;
    for (let k = i; k <= j; k++) result[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return result;
}

/** Spearman rank correlation (Pearson on average ranks). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPairs(x, y);
  return pearson(ranks(x), ranks(y));
}

/** The least-squares line y = intercept + slope x. */
export interface LineFit {
  slope: number;
  intercept: number;
}

/** Fits y = a + b x by least squares. Throws for fewer than 2 points or a constant x. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  checkPairs(x, y);
  if (x.length < 2) throw new ReportStatsError(`a line needs at least 2 points, got ${x.length}`);
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  if (sxx === 0) throw new ReportStatsError(`x is constant (${mx}): no line can be fitted`);
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}
