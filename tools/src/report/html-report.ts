/**
 * The self-contained HTML report (`docs/report/index.html`): uPlot's script and stylesheet are inlined from
 * the installed `uplot` package (no CDN, no network), the chart data is embedded as JSON, and each chart is a
 * `<figure class="chart">` that the PNG renderer screenshots. After drawing, the page sets
 * `body[data-rendered]` and `window.__charts` (per chart: id and the non-null point count of every series).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ChartSpec } from './chart-spec.ts';

const require = createRequire(import.meta.url);

/** uPlot's minified browser build and stylesheet, read from the installed package. */
export function uplotAssets(): { script: string; css: string } {
  const dist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return { script: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'), css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8') };
}

/** Escapes text for HTML content and attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A finding as shown at the top of the page. */
export interface FindingLine {
  title: string;
  verdict: string;
  text: string;
}

/** Inputs of {@link reportHtml}. */
export interface ReportHtmlInput {
  title: string;
  intro: string;
  findings: FindingLine[];
  charts: ChartSpec[];
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

const DRAW = `
const COLORS = ${JSON.stringify(COLORS)};
window.__charts = [];
for (const c of CHARTS) {
  const el = document.getElementById('chart-' + c.id);
  const series = [{ label: c.xLabel }];
  c.series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    if (s.style === 'points') series.push({ label: s.label, stroke: color, fill: color, paths: () => null, points: { show: true, size: 8, fill: color } });
    else series.push({ label: s.label, stroke: color, width: s.style === 'dashed' ? 1 : 2, dash: s.style === 'dashed' ? [6, 4] : undefined, spanGaps: true, points: { show: false } });
  });
  const opts = {
    width: 760, height: 360, series,
    scales: { x: { time: false, distr: c.xLog ? 3 : 1 }, y: { distr: c.yLog ? 3 : 1 } },
    axes: [
      { label: c.xLabel, values: c.xLog ? (u, vals) => vals.map((v) => (v == null ? '' : String(+v.toPrecision(2)))) : undefined },
      { label: c.yLabel, size: 60, values: c.yLog ? (u, vals) => vals.map((v) => (v == null ? '' : v.toExponential(0))) : undefined },
    ],
    legend: { live: false },
  };
  const u = new uPlot(opts, [c.x, ...c.series.map((s) => s.values)], el);
  window.__charts.push({ id: c.id, lengths: u.data.slice(1).map((d) => d.filter((v) => v !== null && v !== undefined).length) });
}
document.body.dataset.rendered = '1';
`;

/** The whole page as one HTML string. */
export function reportHtml(input: ReportHtmlInput): string {
  const { script, css } = uplotAssets();
  const data = JSON.stringify(input.charts).replace(/</g, '\\u003c');
  const findings = input.findings
    .map((f) => `<li><strong>${escapeHtml(f.title)}</strong> <span class="verdict">${escapeHtml(f.verdict)}</span>: ${escapeHtml(f.text)}</li>`)
    .join('\n');
  const figures = input.charts
    .map(
      (c) => `<figure class="chart" id="figure-${c.id}" data-chart="${c.id}">
<figcaption><strong>${escapeHtml(c.title)}</strong><br>${escapeHtml(c.caption)} <a href="${c.id}.csv">data (CSV)</a></figcaption>
<div id="chart-${c.id}"></div>
</figure>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(input.title)}</title>
<style>${css}
body { font-family: system-ui, sans-serif; margin: 24px; max-width: 840px; color: #222; background: #fff; }
figure.chart { margin: 24px 0; padding: 8px; border: 1px solid #ddd; width: 780px; background: #fff; }
figcaption { font-size: 14px; margin-bottom: 8px; }
.verdict { font-weight: 600; }
</style>
</head>
<body>
<h1>${escapeHtml(input.title)}</h1>
<p>${escapeHtml(input.intro)}</p>
<ol>
${findings}
</ol>
${figures}
<script>${script}</script>
<script>
const CHARTS = ${data};
${DRAW}
</script>
</body>
</html>
`;
}
