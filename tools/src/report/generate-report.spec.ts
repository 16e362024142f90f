import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFakeRun, type FakeRunOptions } from '../calibration/fake-run-directory.ts';
import { generateReport } from './generate-report.ts';

const root = mkdtempSync(join(tmpdir(), 'siamwatch-report-'));
const runs = join(root, 'runs');
const out = join(root, 'report');
afterAll(() => rmSync(root, { recursive: true, force: true }));

function fake(id: string, seed: number, finalAuc: number, extra: Partial<FakeRunOptions> = {}): void {
  writeFakeRun(runs, { id: `${id}--s${seed}`, seed, finalAuc: finalAuc + 0.01 * seed, ...extra });
}
for (const seed of [0, 1]) {
  [0.01, 0.1, 1].forEach((fraction, i) => fake(`data-size--fraction-${fraction}`, seed, 0.62 + 0.05 * i, { fraction, width: 0.25 }));
  [0.01, 1].forEach((fraction, i) => fake(`data-size-long--fraction-${fraction}`, seed, 0.64 + 0.08 * i, { fraction, width: 0.25, steps: 160 }));
  [0.5, 1].forEach((width, i) => fake(`model-size--width-${width}`, seed, 0.68 - 0.03 * i, { fraction: 1, width }));
  (['iid', 'continual', 'hybrid'] as const).forEach((regime, i) => fake(`regime--regime-${regime}`, seed, 0.7 - 0.02 * i, { regime }));
  fake('regime--monitor-act', seed, 0.69, { monitor: 'act' });
  fake('architecture--predictor-hidden-16', seed, 0.71, { config: { predictorHiddenDim: 16 } });
  fake('architecture--stop-gradient-off', seed, 0.93, { stopGradient: false });
}

describe('generateReport in headless Chromium', () => {
  it('draws every chart with data, writes PNG and CSV per chart and a summary of the five findings', async () => {
    const report = await generateReport({ roots: [runs], outDir: out, commands: ['npm run report -- runs/study'], generatedAt: '2026-11-29T00:00:00Z' });
    expect(report.charts.map((c) => c.id)).toEqual(['spectra', 'cumulative-variance', 'auc-vs-data', 'auc-vs-data-long', 'auc-vs-model', 'accuracy-vs-auc', 'regime-loss', 'regime-auc']);
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
    // the spectra chart carries the paper's reference spectra shipped in examples/
    expect(report.charts[0].series.map((s) => s.label)).toContain('paper: ResNet-18, 100% ImageNet (d=512)');
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="?https?:/);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (let id = 1; id <= 5; id++) expect(summary).toMatch(new RegExp(`## ${id}\\. .*: (reproduced|not reproduced|inconclusive|not measured)`));
    // the fake data is built so that data size raises AUC and AUC lowers accuracy
    expect(report.findings[0].verdict).toBe('reproduced');
    expect(report.findings[0].rows.map((r) => r[0])).toEqual(['500', '500', '500', '2000', '2000']);
    expect(report.findings[2].verdict).toBe('reproduced');
    expect(report.findings[4].rows.map((r) => r[0])).toContain('no stop-gradient');
    expect(existsSync(join(out, 'accuracy-vs-auc.png'))).toBe(true);
  }, 120_000);
});
