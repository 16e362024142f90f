/**
 * The two textual outputs of `siamwatch analyze`: an aligned table for people
 * (one row per spectrum) and a JSON document for programs (every metric, the
 * label, `n`, `d` and the singular values of each spectrum).
 */
import type { AnalysisResult } from './analyze-source.ts';

interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
  readonly cell: (r: AnalysisResult) => string;
}

const fixed = (digits: number) => (v: number | null) => (v === null || Number.isNaN(v) ? '-' : v.toFixed(digits));

const COLUMNS: readonly Column[] = [
  { title: 'file', align: 'left', cell: (r) => r.file },
  { title: 'label', align: 'left', cell: (r) => r.label },
  { title: 'n', align: 'right', cell: (r) => (r.n === null ? '-' : String(r.n)) },
  { title: 'd', align: 'right', cell: (r) => String(r.d) },
  { title: 'auc', align: 'right', cell: (r) => fixed(4)(r.auc) },
  { title: 'rankme', align: 'right', cell: (r) => fixed(1)(r.rankme) },
  { title: 'stableRank', align: 'right', cell: (r) => fixed(2)(r.stableRank) },
  { title: 'alpha', align: 'right', cell: (r) => fixed(3)(r.alpha) },
  { title: 'alphaR2', align: 'right', cell: (r) => fixed(3)(r.alphaR2) },
  { title: 'c90', align: 'right', cell: (r) => String(r.components90) },
  { title: 'c99', align: 'right', cell: (r) => String(r.components99) },
  { title: 'normStd', align: 'right', cell: (r) => fixed(4)(r.normalizedStd) },
];

/**
 * Renders `results` as a space-aligned text table with a header row, one row
 * per spectrum, and a legend line (auc ~0.5 flat .. 1 rank one; c90/c99 =
 * components for 90%/99% of the cumulative explained variance).
 */
export function formatResultsTable(results: readonly AnalysisResult[]): string {
  const rows = [COLUMNS.map((c) => c.title), ...results.map((r) => COLUMNS.map((c) => c.cell(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const lines = rows.map((row) =>
    row
      .map((text, i) => (COLUMNS[i]?.align === 'left' ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
  const legend =
    'auc: area under the cumulative explained variance (Li et al. 2022, Eq. 2), ~0.5 flat, 1 rank one; ' +
    'rankme ~d healthy; c90/c99: components for 90%/99%; normStd ~1/sqrt(d) healthy, 0 collapsed';
  return `${lines.join('\n')}\n\n${legend}\n`;
}

/** One result as plain JSON: every metric plus file, format, kind, label, n, d and the singular values. */
export function resultToJson(result: AnalysisResult): Record<string, unknown> {
  const { singularValues, ...metrics } = result;
  return { ...metrics, singularValues: Array.from(singularValues) };
}

/**
 * The `--json` document: `{ tool, normalize, results: [...] }`, each result
 * carrying `auc`, `rankme` and every other metric, `label`, `n`, `d` (one
 * result per line, so the document stays readable with 512-value spectra).
 */
export function formatResultsJson(results: readonly AnalysisResult[], options: { normalize: boolean }): string {
  const head = `{\n  "tool": "siamwatch analyze",\n  "normalize": ${options.normalize},\n  "results": [`;
  const body = results.map((r) => `\n    ${JSON.stringify(resultToJson(r))}`).join(',');
  return `${head}${body}${results.length > 0 ? '\n  ' : ''}]\n}\n`;
}
