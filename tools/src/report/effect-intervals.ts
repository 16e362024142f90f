/**
 * Effect sizes with 95% intervals for the report's verdicts: Welch's t interval for a difference of means
 * over seeds, the paired t interval when the two settings share each seed's random network, the t interval of a least-squares slope, and a cluster bootstrap (resampling whole settings)
 * for a correlation across runs. The verdict rule: "reproduced" when the interval excludes zero on the
 * paper's side, "not reproduced" when it excludes zero on the other side, else "inconclusive".
 */
import { createRandom } from '@siamwatch/monitor';
import { fitLine, ReportStatsError, spread } from './report-stats.ts';
import { studentTQuantile } from './student-t.ts';

/** An effect with its 95% interval, the number of runs (or points) behind it and the test that gave it. */
export interface Effect {
  effect: number;
  low: number;
  high: number;
  n: number;
  test: string;
}

/** The verdicts of the rule. */
export type EffectVerdict = 'reproduced' | 'not reproduced' | 'inconclusive';

const NOT_MEASURED = (n: number, test: string): Effect => ({ effect: Number.NaN, low: Number.NaN, high: Number.NaN, n, test });

/** Welch's t interval (unequal variances) for mean(b) - mean(a); NaN when a side has fewer than 2 finite values. */
export function welchDifference(a: readonly number[], b: readonly number[], level = 0.95): Effect {
  const sa = spread(a);
  const sb = spread(b);
  const test = 'Welch t interval (unequal variances) on the difference of means over seeds';
  if (sa.n < 2 || sb.n < 2) return NOT_MEASURED(sa.n + sb.n, test);
  const va = sa.sd ** 2 / sa.n;
  const vb = sb.sd ** 2 / sb.n;
  const se = Math.sqrt(va + vb);
  const effect = sb.mean - sa.mean;
  if (se === 0) return { effect, low: effect, high: effect, n: sa.n + sb.n, test };
  const df = (va + vb) ** 2 / (va ** 2 / (sa.n - 1) + vb ** 2 / (sb.n - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, df) * se;
  return { effect, low: effect - half, high: effect + half, n: sa.n + sb.n, test: `${test} (df ${df.toFixed(1)})` };
}

/**
 * The paired t interval (n - 1 df) of mean(b_i - a_i) over pairs: for settings compared within a seed, where
 * both runs of a pair start from the same random network, so the seed-to-seed spread of the initial state
 * cancels. NaN for fewer than 2 finite pairs.
 */
export function pairedDifference(pairs: readonly (readonly [number, number])[], level = 0.95): Effect {
  const diffs = pairs.map(([a, b]) => b - a).filter(Number.isFinite);
  const test = 'paired t interval on the within-seed differences (same random backbone)';
  const s = spread(diffs);
  if (s.n < 2) return NOT_MEASURED(2 * s.n, test);
  const half = studentTQuantile(1 - (1 - level) / 2, s.n - 1) * (s.sd / Math.sqrt(s.n));
  return { effect: s.mean, low: s.mean - half, high: s.mean + half, n: 2 * s.n, test: `${test} (${s.n} pairs, df ${s.n - 1})` };
}

/** The least-squares slope of y on x with its t interval (n - 2 df); NaN for fewer than 3 points. */
export function slopeInterval(x: readonly number[], y: readonly number[], level = 0.95): Effect {
  const test = 'least-squares slope, t interval (n - 2 df)';
  if (x.length < 3) return NOT_MEASURED(x.length, test);
  const { slope, intercept } = fitLine(x, y);
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const sxx = x.reduce((s, v) => s + (v - mx) ** 2, 0);
  const ssr = x.reduce((s, v, i) => s + (y[i] - intercept - slope * v) ** 2, 0);
  const se = Math.sqrt(ssr / (x.length - 2) / sxx);
  const half = studentTQuantile(1 - (1 - level) / 2, x.length - 2) * se;
  return { effect: slope, low: slope - half, high: slope + half, n: x.length, test };
}

/**
 * Percentile bootstrap of `statistic` over whole clusters (settings): each replicate draws as many clusters
 * as there are, with replacement, and pools their points. Seeded, so the report is reproducible.
 */
export function clusterBootstrap<T>(clusters: readonly (readonly T[])[], statistic: (points: T[]) => number, options: { replicates?: number; seed?: number; level?: number; test?: string } = {}): Effect {
  const replicates = options.replicates ?? 2000;
  const level = options.level ?? 0.95;
  const test = options.test ?? `percentile bootstrap over ${clusters.length} settings (${replicates} replicates)`;
  if (clusters.length < 3) throw new ReportStatsError(`a cluster bootstrap needs at least 3 clusters, got ${clusters.length}`);
  const effect = statistic(clusters.flat());
  const random = createRandom(options.seed ?? 20221023);
  const values: number[] = [];
  for (let r = 0; r < replicates; r++) {
    const points = Array.from({ length: clusters.length }, () => clusters[random.int(clusters.length)]).flat();
    const value = statistic(points);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.floor(q * values.length)))];
  return { effect, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), n: clusters.flat().length, test };
}

/** The verdict rule: `sign` +1 when the paper expects a positive effect, -1 a negative one. */
export function effectVerdict(e: Effect, sign: 1 | -1): EffectVerdict {
  if (!Number.isFinite(e.low) || !Number.isFinite(e.high)) return 'inconclusive';
  if (sign * e.low > 0 && sign * e.high > 0) return 'reproduced';
  if (sign * e.low < 0 && sign * e.high < 0) return 'not reproduced';
  return 'inconclusive';
}
