/**
 * Numbers and lines of the spectrum benchmark report.
 */

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Largest `|a_k - b_k| / b_k` over the first `top` values (both descending spectra). */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, top: number): number {
  const count = Math.min(top, a.length, b.length);
  if (count === 0) throw new RangeError('no singular values to compare');
  let worst = 0;
  for (let k = 0; k < count; k++) worst = Math.max(worst, Math.abs(a[k] - b[k]) / Math.abs(b[k]));
  return worst;
}

/** One row of the side-by-side table. */
export interface BenchRow {
  label: string;
  siamwatchMs: number;
  numpyMs: number;
  maxRelDiff: number;
}

/** Formats the side-by-side table (fixed-width columns). */
export function formatTable(rows: readonly BenchRow[], topK: number): string {
  const head = ['case', 'siamwatch ms', 'numpy ms', 'ratio', `max rel diff top-${topK}`];
  const body = rows.map((r) => [
    r.label,
    r.siamwatchMs.toFixed(1),
    r.numpyMs.toFixed(1),
    (r.siamwatchMs / r.numpyMs).toFixed(2),
    r.maxRelDiff.toExponential(2),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/** The benchmark's required last line: `spectrum NxD: siamwatch <ms> ms, numpy <ms> ms, ratio <r>`. */
export function summaryLine(n: number, d: number, siamwatchMs: number, numpyMs: number): string {
  return `spectrum ${n}x${d}: siamwatch ${siamwatchMs.toFixed(1)} ms, numpy ${numpyMs.toFixed(1)} ms, ratio ${(siamwatchMs / numpyMs).toFixed(2)}`;
}
