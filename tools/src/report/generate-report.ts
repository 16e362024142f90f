/**
 * Regenerates the paper-reproduction report from finished run directories: charts (CSV per chart), the five
 * findings, the self-contained `index.html`, one PNG per chart rendered in headless Chromium, `summary.md`
 * and `findings.json` (the verdicts with effect sizes and 95% intervals).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { readRuns } from '../calibration/run-directory.ts';
import { chartCsv, type ChartSpec } from './chart-spec.ts';
import { findingsJson } from './findings-json.ts';
import { formatEffect, studyFindings, type Finding } from './findings.ts';
import { reportHtml } from './html-report.ts';
import { renderCharts, type RenderedChart } from './render-charts.ts';
import { loadReferenceSpectra, studyCharts } from './study-charts.ts';
import { readCorpusFile } from '../monitor-evaluation/corpus-file.ts';
import { corpusPoints } from './corpus-correlation.ts';
import { studyRunOf } from './study-runs.ts';
import { summaryMarkdown } from './summary-markdown.ts';

/** Options of {@link generateReport}. */
export interface GenerateReportOptions {
  /** Run folders (e.g. runs/study). */
  roots: string[];
  /** Output folder. Default docs/report. */
  outDir?: string;
  /** Commands listed under "How to reproduce". */
  commands?: string[];
  /** Paragraphs placed under the verdict table (what was run and what was not). */
  notes?: string[];
  /** The collapse-continuum corpus (docs/monitor-corpus/continuum.json): finding 3 over its settings. */
  corpus?: string;
  /** Skip the Chromium rendering (no PNGs). */
  noPng?: boolean;
  generatedAt?: string;
}

/** What was generated. */
export interface GeneratedReport {
  outDir: string;
  charts: ChartSpec[];
  findings: Finding[];
  rendered: RenderedChart[];
  files: string[];
}

/** Which charts illustrate which finding in summary.md. */
export const CHARTS_OF_FINDING: Record<number, string[]> = {
  1: ['spectra', 'cumulative-variance', 'auc-vs-data', 'auc-over-training'],
  2: ['auc-vs-model'],
  3: ['accuracy-vs-auc-corpus', 'accuracy-vs-auc'],
  4: ['regime-loss', 'regime-auc'],
};

/**
 * The manifest's text with machine-specific absolute paths made repository-relative: the run folder
 * (`/abs/runs/study/...` -> `runs/study/...`) and the trainer (`/abs/apps/trainer/bin/siamwatch.js`).
 */
export function repoRelativeManifest(text: string, root: string, cwd = process.cwd()): string {
  const absRoot = resolve(root);
  const shown = relative(cwd, absRoot) || '.';
  return text
    .split(absRoot)
    .join(shown)
    .replace(/"[^"]*?(apps\/trainer\/bin\/siamwatch\.js)"/g, '"$1"');
}

/** Builds every artefact of the report into `outDir`. */
export async function generateReport(options: GenerateReportOptions): Promise<GeneratedReport> {
  const outDir = resolve(options.outDir ?? 'docs/report');
  mkdirSync(outDir, { recursive: true });
  const runs = readRuns(options.roots).map(studyRunOf);
  const corpus = options.corpus === undefined ? [] : corpusPoints(readCorpusFile(options.corpus));
  const charts = studyCharts(runs, loadReferenceSpectra(), corpus);
  const findings = studyFindings(runs, corpus);
  const files: string[] = [];
  for (const chart of charts) {
    const file = join(outDir, `${chart.id}.csv`);
    writeFileSync(file, chartCsv(chart));
    files.push(file);
  }
  const html = join(outDir, 'index.html');
  writeFileSync(
    html,
    reportHtml({
      title: 'SiamWatch: partial dimensional collapse at CPU scale',
      intro: `Li, Efros & Pathak (ECCV 2022) reproduced with the authors\u2019 protocol on Fashion-MNIST 14x14 with a plain CNN (64-d features at width 1): ${runs.length} runs; finding 3 also over the monitor\u2019s collapse-continuum corpus. Spectrum AUC (Eq. 2) of training images without augmentation: ~0.5 flat spectrum, 1.0 rank one; rescaled (AUC - (d+1)/(2d)) / (1 - (d+1)/(2d)): 0 flat, 1 rank one. Verdicts: the effect with its 95% interval over seeds; "reproduced" when the interval excludes zero on the paper\u2019s side. See summary.md for tables and commands, findings.json for the verdicts.`,
      findings: findings.map((f) => ({ title: `${f.id}. ${f.title}`, verdict: f.verdict, text: `${f.headline.name}: ${formatEffect(f.headline)} (95% interval, n = ${f.headline.n}). ${f.measured}` })),
      charts,
    }),
  );
  files.push(html);
  const rendered = options.noPng ? [] : await renderCharts(html, { pngDir: outDir });
  files.push(...rendered.flatMap((r) => (r.png ? [r.png] : [])));
  // the grid manifest (exact siamwatch train arguments of every run) is copied beside the report
  const root = options.roots.find((r) => existsSync(join(r, 'manifest.json')));
  if (root !== undefined) {
    writeFileSync(join(outDir, 'manifest.json'), repoRelativeManifest(readFileSync(join(root, 'manifest.json'), 'utf8'), root));
    files.push(join(outDir, 'manifest.json'));
  }
  const json = join(outDir, 'findings.json');
  writeFileSync(json, `${JSON.stringify(findingsJson(findings), null, 2)}\n`);
  files.push(json);
  const seeds = [...new Set(runs.map((r) => r.seed))].sort((a, b) => a - b);
  const summary = join(outDir, 'summary.md');
  writeFileSync(
    summary,
    summaryMarkdown({
      findings,
      charts,
      chartsOf: CHARTS_OF_FINDING,
      commands: options.commands ?? [],
      seeds,
      runCount: runs.length,
      notes: options.notes,
      generatedAt: options.generatedAt ?? new Date().toISOString(),
    }),
  );
  files.push(summary);
  return { outDir, charts, findings, rendered, files };
}
