/** How often the live page polls `/api/live`, in milliseconds. */
export const LIVE_POLL_MILLIS = 3000;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Client script: fetches `/api/live` every few seconds and draws six uPlot charts. */
const SCRIPT = String.raw`
const W = () => Math.min(560, document.body.clientWidth - 24);
const charts = {};
const colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
function series(labels, extra) {
  return [{ label: 'step' }, ...labels.map((l, i) => Object.assign({ label: l, stroke: colors[i % colors.length], width: 1.5, spanGaps: true }, (extra || {})[l] || {}))];
}
function draw(id, title, labels, data, opts) {
  const el = document.getElementById(id);
  if (!charts[id]) {
    const base = Object.assign({}, opts && opts.base);
    base.scales = Object.assign({ x: { time: false } }, base.scales);
    charts[id] = new uPlot(Object.assign({ title, width: W(), height: 220, series: series(labels, opts && opts.extra) }, base), data, el);
  } else charts[id].setData(data);
}
function col(o, k) { return (o && o[k]) || []; }
function render(d) {
  document.getElementById('status').textContent =
    'run ' + d.runId + ' · regime ' + (d.regimes.current || '-') + ' · updated ' + (d.updatedAtMs ? new Date(d.updatedAtMs).toLocaleTimeString() : 'never');
  const s = d.steps;
  draw('loss', 'loss and learning rate', ['loss', 'learning rate'], [col(s, 'step'), col(s, 'loss'), col(s, 'learningRate')], {
    extra: { 'learning rate': { scale: 'lr' } }, base: { axes: [{}, {}, { scale: 'lr', side: 1, grid: { show: false } }] } });
  draw('throughput', 'throughput (images/s)', ['images/s'], [col(s, 'step'), col(s, 'imagesPerSecond')]);
  const b = d.collapse.backbone.series, p = d.collapse.projector.series;
  const auc = uPlot.join([[col(b, 'step'), col(b, 'auc'), col(b, 'effectiveRank')], [col(p, 'step'), col(p, 'auc'), col(p, 'effectiveRank')]]);
  draw('collapse', 'collapse: spectrum AUC (0.5 healthy, 1 collapsed) and effective rank',
    ['AUC backbone', 'eff. rank backbone', 'AUC projector', 'eff. rank projector'], auc, {
      extra: { 'eff. rank backbone': { scale: 'rank' }, 'eff. rank projector': { scale: 'rank', dash: [4, 4] }, 'AUC projector': { dash: [4, 4] } },
      base: { axes: [{}, {}, { scale: 'rank', side: 1, grid: { show: false } }] } });
  const sb = d.spectrum.backbone, sp = d.spectrum.projector;
  const logTick = (v) => (v == null ? '' : v >= 0.01 && v < 1e4 ? String(+v.toPrecision(2)) : v.toExponential(0));
  const idx = (sv) => (sv ? sv.singularValues.map((_, i) => i + 1) : []);
  const spec = uPlot.join([[idx(sb), sb ? sb.singularValues : [], sb ? sb.cumulativeExplainedVariance : []],
    [idx(sp), sp ? sp.singularValues : [], sp ? sp.cumulativeExplainedVariance : []]]);
  draw('spectrum', 'latest spectrum (log) and cumulative explained variance', ['s_k backbone', 'c_k backbone', 's_k projector', 'c_k projector'], spec, {
    extra: { 'c_k backbone': { scale: 'c' }, 'c_k projector': { scale: 'c', dash: [4, 4] }, 's_k projector': { dash: [4, 4] } },
    base: { scales: { y: { distr: 3 }, c: { range: [0, 1] } }, axes: [{}, { values: (u, vs) => vs.map(logTick) }, { scale: 'c', side: 1, grid: { show: false } }] } });
  const m = d.accuracy.measured, f = d.accuracy.forecast;
  const acc = uPlot.join([[col(f, 'step'), col(f, 'point'), col(f, 'low'), col(f, 'high')], [col(m, 'step'), col(m, 'linearProbe'), col(m, 'knn')]]);
  draw('accuracy', 'forecast vs measured accuracy', ['forecast', 'forecast low', 'forecast high', 'linear probe', 'kNN'], acc, {
    extra: { 'forecast low': { dash: [2, 4] }, 'forecast high': { dash: [2, 4] }, 'linear probe': { points: { show: true, size: 7 } }, kNN: { points: { show: true, size: 7 } } },
    base: { scales: { y: { range: [0, 1] } } } });
  const known = d.regimes.known;
  const tl = d.regimes.timeline;
  const last = s.step && s.step.length ? s.step[s.step.length - 1] : 0;
  const xs = tl.map((e) => e.step).concat(tl.length ? [Math.max(last, tl[tl.length - 1].step)] : []);
  const ys = tl.map((e) => known.indexOf(e.regime)).concat(tl.length ? [known.indexOf(tl[tl.length - 1].regime)] : []);
  draw('regimes', 'regime timeline', ['regime'], [xs, ys], {
    extra: { regime: { paths: uPlot.paths.stepped({ align: 1 }), points: { show: true } } },
    base: { scales: { y: { range: [-0.5, Math.max(known.length - 0.5, 0.5)] } },
      axes: [{}, { values: (u, vals) => vals.map((v) => (Number.isInteger(v) ? known[v] || '' : '')), size: 90 }] } });
  document.getElementById('decisions').innerHTML = d.decisions.slice(-20).reverse().map((e) =>
    '<li>step ' + e.step + ': <b>' + e.decision + '</b> (' + e.reasonClass + ')' + (e.regime ? ' → ' + e.regime : '') + ' — ' +
    e.reason.replace(/[&<>]/g, (c) => '&#' + c.charCodeAt(0) + ';') + '</li>').join('');
}
async function poll() {
  try {
    const r = await fetch('api/live', { cache: 'no-store' });
    render(await r.json());
    document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
  } catch (e) {
    document.getElementById('status').textContent = 'cannot reach the trainer: ' + e;
  }
}
poll();
setInterval(poll, POLL);
`;

/**
 * The self-contained live page of a run: uPlot served by the same server (`/assets/uplot.js`), no CDN,
 * polling `/api/live` every {@link LIVE_POLL_MILLIS} ms. Charts: loss and learning rate, throughput,
 * collapse metrics (AUC and effective rank per output), latest spectrum (log scale) with cumulative
 * explained variance, forecast vs measured accuracy, regime timeline and the last decisions.
 */
export function livePageHtml(runId: string, pollMillis: number = LIVE_POLL_MILLIS): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SiamWatch · ${escapeHtml(runId)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/uplot.css">
<style>
body { font: 14px system-ui, sans-serif; margin: 12px; background: #fff; color: #222; }
h1 { font-size: 18px; margin: 0 0 4px; }
#grid { display: flex; flex-wrap: wrap; gap: 12px; }
#grid > div { border: 1px solid #ddd; padding: 4px; }
#status { color: #555; margin-bottom: 8px; }
</style>
</head>
<body>
<h1>SiamWatch live: ${escapeHtml(runId)}</h1>
<div id="status">loading…</div>
<div id="grid">
<div id="loss"></div><div id="throughput"></div><div id="collapse"></div>
<div id="spectrum"></div><div id="accuracy"></div><div id="regimes"></div>
</div>
<h2 style="font-size:15px">Decisions</h2>
<ul id="decisions"></ul>
<script src="assets/uplot.js"></script>
<script>
const POLL = ${Math.max(250, Math.round(pollMillis))};
${SCRIPT}
</script>
</body>
</html>
`;
}
