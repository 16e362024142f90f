import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun, type FakeRunOptions } from '../calibration/fake-run-directory.ts';
import { generateReport, repoRelativeManifest } from './generate-report.ts';
import { fakeCorpus } from './testing/fake-corpus.ts';

const root = mkdtempSync(join(tmpdir(), 'siamwatch-report-'));
const runs = join(root, 'runs');
const out = join(root, 'report');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fake(id: string, seed: number, finalAuc: number, extra: Partial<FakeRunOptions> = {}): void {
  writeFakeRun(runs, { id: `${id}--s${seed}`, seed, finalAuc: finalAuc + 0.01 * seed, ...extra });
}
// the third-edition study: data-size (`last` strategy) whose 100% run is the shared baseline, widths, regimes, architecture parts
for (const seed of [0, 1, 2]) {
  [0.01, 0.1, 1].forEach((subset, i) =>
    fake(`data-size--subset-${subset}`, seed, 0.62 + 0.08 * i, { fraction: 1, width: 0.25, ...(subset < 1 ? { regime: 'last', lastFraction: subset } : {}) }),
  );
  [0.5, 1].forEach((width, i) => fake(`model-size--width-${width}`, seed, 0.66 - 0.05 * i, { fraction: 1, width }));
  fake('regime--regime-continual', seed, 0.7, { fraction: 1, regime: 'continual' });
  // the hybrid and its equal-compute iid arm train twice the steps
  fake('regime--regime-hybrid', seed, 0.72, { fraction: 1, regime: 'hybrid', steps: 160 });
  fake('regime--regime-iid_2x', seed, 0.76, { fraction: 1, regime: 'iid', steps: 160 });
  fake('architecture--part-stop_gradient_off', seed, 0.95, { fraction: 1, stopGradient: false });
  fake('architecture--part-predictor_hidden_16', seed, 0.85, { fraction: 1, config: { predictorHiddenDim: 16 } });
  // within a seed the projector part goes either way (+0.01, -0.01, +0.001): inconclusive even paired
  fake('architecture--part-projector_64', seed, [0.79, 0.77, 0.781][seed], { fraction: 1, config: { projectorDim: 64, projectorHiddenDim: 64 } });
  fake('architecture--part-predictor_lr_fixed', seed, 0.74, { fraction: 1, config: { predictorLr: 0.4 } });
}

describe('generateReport in headless Chromium', () => {
  it('draws every chart with data, writes PNG and CSV per chart and a summary of the five findings', async () => {
    const corpus = join(root, 'corpus.json');
    writeFileSync(corpus, JSON.stringify(fakeCorpus()));
    const report = await generateReport({ roots: [runs], outDir: out, corpus, commands: ['npm run report -- runs/study'], generatedAt: '2026-11-29T00:00:00Z' });
    expect(report.charts.map((c) => c.id)).toEqual(['spectra', 'cumulative-variance', 'auc-vs-data', 'auc-over-training', 'auc-vs-model', 'accuracy-vs-auc', 'accuracy-vs-auc-corpus', 'regime-loss', 'regime-auc']);
    // finding 3's headline comes from the corpus (within dataset and method)
    expect(report.findings[2].headline.name).toMatch(/^corpus:/);
    expect(report.rendered).toHaveLength(report.charts.length);
    for (const chart of report.rendered) {
      const spec = report.charts.find((c) => c.id === chart.id);
      if (!spec) throw new Error(`no spec for chart ${chart.id}`);
      // uPlot holds one data array per series: every series has points, as many as the spec's non-null values
      expect(chart.lengths).toEqual(spec.series.map((s) => s.values.filter((v) => v !== null).length));
      expect(Math.min(...chart.lengths), chart.id).toBeGreaterThan(0);
      expect(chart.ink, chart.id).toBeGreaterThan(0.005);
      expect(statSync(chart.png ?? '').size, chart.id).toBeGreaterThan(5000);
      expect(readFileSync(join(out, `${chart.id}.csv`), 'utf8').trim().split('\n').length).toBe(spec.x.length + 1);
    }
    // the spectra chart and the AUC-vs-data chart carry the paper's reference spectra shipped in examples/
    expect(report.charts[0].series.map((s) => s.label)).toContain('paper: ResNet-18, 100% ImageNet (d=512)');
    const paper = report.charts[2].series.find((s) => s.label.startsWith('paper:'));
    expect(paper?.values.filter((v) => v !== null)).toHaveLength(6);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="?https?:/);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (let id = 1; id <= 5; id++) expect(summary).toMatch(new RegExp(`## ${id}\\. .*: (reproduced|not reproduced|inconclusive|not measured)`));
    // the fake data is built so that data size raises AUC, AUC lowers accuracy, continual lowers AUC, every part but the projector's goes the paper's way
    const verdicts = report.findings.map((f) => f.verdict);
    expect(verdicts).toEqual(['reproduced', 'reproduced', 'reproduced', 'reproduced', 'reproduced']);
    expect(report.findings[0].rows.map((r) => r[0])).toEqual(['600', '6000', '60000']);
    expect(report.findings[0].headline.low).toBeGreaterThan(0);
    // the `last` runs also record the AUC on their own subset: a dashed curve per subset and a column of the table
    expect(report.charts[3].series.map((s) => s.label)).toContain('600 images: on its own subset');
    expect(report.findings[0].rows[0][3]).not.toBe(report.findings[0].rows[0][5]);
    // the projector part is within seed spread: inconclusive, yet finding 5 reproduces (stop-gradient and another part do)
    expect(report.findings[4].parts.map((p) => p.verdict)).toEqual(['reproduced', 'reproduced', 'inconclusive', 'reproduced']);
    // the hybrid's AUC is lower than multi-epoch at its doubled compute, so its (fake) accuracy is higher: its own verdicts
    expect(report.findings[3].parts.map((p) => p.name)).toEqual(['accuracy(hybrid) - accuracy(multi-epoch at the hybrid\u2019s compute)', 'AUC(hybrid) - AUC(multi-epoch at the hybrid\u2019s compute)']);
    expect(report.findings[3].parts.map((p) => p.verdict)).toEqual(['reproduced', 'reproduced']);
    expect(report.findings[3].rows.map((r) => r[0])).toEqual(['multi-epoch (iid), 80 steps', 'continual, 80 steps', "hybrid (authors': continual pass, then iid), 160 steps", 'multi-epoch (iid), 160 steps']);
    // settings of one seed share their random network (the fakes' step-0 AUC depends on the seed only): paired
    expect(report.findings[0].headline.test).toMatch(/^paired t interval/);
    const json = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as { id: string; verdict: string; effect: number; ci95: [number, number]; n: number; parts: unknown[] }[];
    expect(json.map((f) => f.id)).toEqual(['1', '2', '3', '4', '5']);
    for (const f of json) {
      expect(['reproduced', 'not reproduced', 'inconclusive']).toContain(f.verdict);
      expect(f.ci95[0]).toBeLessThanOrEqual(f.effect);
      expect(f.ci95[1]).toBeGreaterThanOrEqual(f.effect);
      expect(f.n).toBeGreaterThan(0);
    }
    expect(json[4].parts).toHaveLength(4);
    expect(existsSync(join(out, 'accuracy-vs-auc.png'))).toBe(true);
  }, 120_000);
});

describe('repoRelativeManifest', () => {
  it('makes the run folder and the trainer path repository-relative', () => {
    const text = JSON.stringify({ trainer: '/tmp/frozen/apps/trainer/bin/siamwatch.js', runs: [{ args: ['--out', '/home/x/repo/runs/study/a--s0'] }] });
    const out = JSON.parse(repoRelativeManifest(text, '/home/x/repo/runs/study', '/home/x/repo')) as { trainer: string; runs: { args: string[] }[] };
    expect(out.trainer).toBe('apps/trainer/bin/siamwatch.js');
    expect(out.runs[0].args[1]).toBe('runs/study/a--s0');
  });
});
