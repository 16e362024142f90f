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

/** One row of the side-by-side table: wall and CPU milliseconds of both sides. */
export interface BenchRow {
  label: string;
  siamwatchMs: number;
  siamwatchCpuMs: number;
  numpyMs: number;
  numpyCpuMs: number;
  /** Max relative difference of the top singular values, or a note when there is nothing to compare. */
  maxRelDiff: number | string;
}

/** Formats the side-by-side table (fixed-width columns). */
export function formatTable(rows: readonly BenchRow[], topK: number): string {
  const head = ['case', 'siamwatch ms', '(cpu)', 'numpy ms', '(cpu)', 'ratio', `max rel diff top-${topK}`];
  const body = rows.map((r) => [
    r.label,
    r.siamwatchMs.toFixed(1),
    r.siamwatchCpuMs.toFixed(0),
    r.numpyMs.toFixed(1),
    r.numpyCpuMs.toFixed(0),
    (r.siamwatchMs / r.numpyMs).toFixed(2),
    typeof r.maxRelDiff === 'number' ? r.maxRelDiff.toExponential(2) : r.maxRelDiff,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), ...body.map(line)].join('\n');
}

/** The benchmark's required last line: `spectrum NxD: siamwatch <ms> ms, numpy <ms> ms, ratio <r>`. */
export function summaryLine(n: number, d: number, siamwatchMs: number, numpyMs: number): string {
  return `spectrum ${n}x${d}: siamwatch ${siamwatchMs.toFixed(1)} ms, numpy ${numpyMs.toFixed(1)} ms, ratio ${(siamwatchMs / numpyMs).toFixed(2)}`;
}
