/**
 * `--plot FILE.html`: a self-contained page (uPlot's JS and CSS inlined from
 * the installed `uplot` package, no network) with the spectrum of each input
 * on a log scale and its cumulative explained variance c_k (Li, Efros &
 * Pathak, ECCV 2022, Eq. 2), plus a table of the metrics.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import { cumulativeExplainedVariance } from '@siamwatch/collapse-metrics';
import { writeFileAtomic } from '@siamwatch/embedding-io';
import type { AnalysisResult } from './analyze-source.ts';

/** The data embedded in the page (`<script type="application/json" id="siamwatch-data">`). */
export interface SpectrumPlotData {
  readonly runs: readonly {
    readonly name: string;
    readonly auc: number;
    readonly rankme: number;
    readonly singularValues: readonly number[];
    readonly cumulative: readonly number[];
  }[];
}

/**
 * Builds the embedded data: per result its name (the run label, or the file;
 * prefixed by the file name when several files are plotted), AUC, RankMe,
 * spectrum and c_k.
 */
export function spectrumPlotData(results: readonly AnalysisResult[]): SpectrumPlotData {
  const manyFiles = new Set(results.map((r) => r.file)).size > 1;
  const nameOf = (r: AnalysisResult): string => {
    if (r.kind === 'matrix') return r.format === 'safetensors' ? `${r.file} [${r.label}]` : r.file;
    return manyFiles ? `${basename(r.file)}: ${r.label}` : r.label;
  };
  return {
    runs: results.map((r) => ({
      name: nameOf(r),
      auc: r.auc,
      rankme: r.rankme,
      singularValues: Array.from(r.singularValues),
      cumulative: Array.from(cumulativeExplainedVariance(r.singularValues)),
    })),
  };
}

const require = createRequire(import.meta.url);
const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch);

/** Renders the complete HTML page for `results` (uPlot inlined; opens offline). */
export function renderSpectrumPlotHtml(results: readonly AnalysisResult[]): string {
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8').replace(/<\/script/gi, '<\\/script');
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const data = JSON.stringify(spectrumPlotData(results)).replace(/</g, '\\u003c');
  const rows = results
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.file)}</td><td>${escapeHtml(r.label)}</td><td>${r.n ?? '-'}</td><td>${r.d}</td>` +
        `<td>${r.auc.toFixed(4)}</td><td>${r.rankme.toFixed(1)}</td><td>${r.components90}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>SiamWatch spectra</title>
<style>${uplotCss}
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } td, th { padding: 0.2rem 0.6rem; border-bottom: 1px solid #ddd; text-align: right; }
td:nth-child(-n+2), th:nth-child(-n+2) { text-align: left; }
</style>
</head>
<body>
<h1>Spectrum of representations</h1>
<p>Singular values of the mean-centred embedding matrix (log scale) and their cumulative explained variance
c<sub>k</sub> = &Sigma;<sub>i&le;k</sub> s<sub>i</sub> / &Sigma; s<sub>i</sub>; AUC = mean c<sub>k</sub>: ~0.5 flat (healthy), 1.0 rank one
(Li, Efros &amp; Pathak, ECCV 2022).</p>
<table><thead><tr><th>file</th><th>label</th><th>n</th><th>d</th><th>AUC</th><th>RankMe</th><th>c90</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<div id="spectrum"></div>
<div id="cumulative"></div>
<script type="application/json" id="siamwatch-data">${data}</script>
<script>${uplotJs}</script>
<script>
const data = JSON.parse(document.getElementById('siamwatch-data').textContent);
const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const maxD = Math.max(...data.runs.map((r) => r.singularValues.length));
const ks = Array.from({ length: maxD }, (_, i) => i + 1);
const pad = (values, map) => ks.map((_, i) => (i < values.length ? map(values[i]) : null));
const width = Math.min(window.innerWidth - 48, 1000);
const series = (fmt) => [{ label: 'k' }, ...data.runs.map((r, i) => ({
  label: r.name + ' (AUC ' + r.auc.toFixed(3) + ')', stroke: palette[i % palette.length], width: 1.5, value: (u, v) => (v == null ? '-' : fmt(v)),
}))];
new uPlot({
  title: 'Singular values s_k (log scale)', width, height: 380,
  scales: { x: { time: false }, y: { distr: 3 } },
  axes: [{ label: 'rank index k' }, { label: 'singular value', size: 60, values: (u, splits) => splits.map((v) => (v == null ? '' : v >= 0.01 && v < 1e4 ? String(+v.toPrecision(3)) : v.toExponential(0))) }],
  series: series((v) => v.toPrecision(4)),
}, [ks, ...data.runs.map((r) => pad(r.singularValues, (v) => (v > 0 ? v : null)))], document.getElementById('spectrum'));
new uPlot({
  title: 'Cumulative explained variance c_k', width, height: 380,
  scales: { x: { time: false }, y: { range: [0, 1] } },
  axes: [{ label: 'rank index k' }, { label: 'c_k' }],
  series: series((v) => v.toFixed(4)),
}, [ks, ...data.runs.map((r) => pad(r.cumulative, (v) => v))], document.getElementById('cumulative'));
</script>
</body>
</html>
`;
}

/** Writes the page for `results` to `path` atomically (temp file, fsync, rename). */
export async function writeSpectrumPlot(path: string, results: readonly AnalysisResult[]): Promise<void> {
  await writeFileAtomic(path, [new TextEncoder().encode(renderSpectrumPlotHtml(results))]);
}
