/**
 * The report's charts, built from the study runs: spectra on a log scale next to the paper authors'
 * ResNet-18/ImageNet spectra, cumulative explained variance, AUC vs data fraction and vs model size (mean
 * and spread over seeds), accuracy vs AUC with the fitted line, and training curves per regime.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cumulativeExplainedVariance } from '@siamwatch/collapse-metrics';
import { alignSeries, atRelativeRank, validateChart, type ChartSpec } from './chart-spec.ts';
import { fitLine, spread } from './report-stats.ts';
import { dataSizeRuns, groupBy, modelSizeRuns, regimeRuns, type StudyRun } from './study-runs.ts';

/** The shipped copy of the authors' spectra (MIT, see examples/NOTICE.md). */
export const REFERENCE_SPECTRA_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../examples/simsiam-resnet18-imagenet-spectra.json');

/** One reference spectrum: SimSiam ResNet-18 pre-trained on `percent`% of ImageNet. */
export interface ReferenceSpectrum {
  percent: number;
  singularValues: number[];
}

/** Reads the shipped reference spectra. */
export function loadReferenceSpectra(file = REFERENCE_SPECTRA_FILE): ReferenceSpectrum[] {
  const json = JSON.parse(readFileSync(file, 'utf8')) as { runs: { percentOfImagenet: number; singularValues: number[] }[] };
  return json.runs.map((r) => ({ percent: r.percentOfImagenet, singularValues: r.singularValues }));
}

const GRID = Array.from({ length: 64 }, (_, i) => (i + 1) / 64);

function spectrumSets(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[], transform: (s: number[]) => number[]) {
  const pool = [...dataSizeRuns(runs), ...modelSizeRuns(runs).filter((r) => r.group === 'model-size')];
  const firstSeed = Math.min(...pool.map((x) => x.seed));
  const picked = pool.filter((r) => r.seed === firstSeed && r.spectrum.length > 0);
  const ours = picked.map((r) => ({ label: `ours: width ${r.width}, ${r.dataSize} images (d=${r.spectrum.length})`, values: transform(r.spectrum) }));
  const theirs = reference.filter((r) => [1, 10, 100].includes(r.percent)).map((r) => ({ label: `paper: ResNet-18, ${r.percent}% ImageNet (d=512)`, values: transform(r.singularValues) }));
  return [...ours, ...theirs];
}

/** Spectra s_k / s_1 (log scale) against the relative rank k/d. */
export function spectraChart(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[]): ChartSpec {
  const sets = spectrumSets(runs, reference, (s) => atRelativeRank(s.map((v) => Math.max(v / s[0], 1e-6)), GRID));
  return validateChart({
    id: 'spectra',
    title: 'Singular value spectra of the backbone (log scale)',
    caption: 'Final backbone spectra of the data-size and model-size runs (first seed) and the paper authors\u2019 SimSiam ResNet-18 spectra, normalised by the top singular value, against the relative rank k/d.',
    xLabel: 'relative rank k/d',
    yLabel: 's_k / s_1',
    yLog: true,
    x: GRID,
    series: sets.map((s) => ({ label: s.label, values: s.values })),
  });
}

/** Cumulative explained variance c_k (Eq. 2) against k/d; its mean is the AUC. */
export function cumulativeChart(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[]): ChartSpec {
  const sets = spectrumSets(runs, reference, (s) => atRelativeRank([...cumulativeExplainedVariance(s)], GRID));
  return validateChart({
    id: 'cumulative-variance',
    title: 'Cumulative explained variance (Eq. 2)',
    caption: 'c_k = sum_{i<=k} s_i / sum_i s_i against k/d. The area under each curve is its AUC: ~0.5 flat spectrum, 1 rank one.',
    xLabel: 'relative rank k/d',
    yLabel: 'c_k',
    x: GRID,
    series: sets.map((s) => ({ label: s.label, values: s.values })),
  });
}

function meanSpreadChart(id: string, title: string, caption: string, xLabel: string, groups: Map<number, StudyRun[]>): ChartSpec {
  const rows = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([x, rs]) => ({ x, s: spread(rs.map((r) => r.auc)), runs: rs }));
  const points = (f: (row: (typeof rows)[number]) => number) => rows.map((row) => [row.x, f(row)] as [number, number]);
  const seedSets = [...groupBy(rows.flatMap((row) => row.runs.map((r) => ({ x: row.x, r }))), (p) => p.r.seed).entries()].map(([seed, ps]) => ({
    label: `seed ${seed}`,
    points: ps.map((p) => [p.x, p.r.auc] as [number, number]),
    style: 'points' as const,
  }));
  const aligned = alignSeries([
    { label: 'mean AUC', points: points((r) => r.s.mean) },
    { label: 'mean - sd', points: points((r) => r.s.mean - (Number.isFinite(r.s.sd) ? r.s.sd : 0)), style: 'dashed' },
    { label: 'mean + sd', points: points((r) => r.s.mean + (Number.isFinite(r.s.sd) ? r.s.sd : 0)), style: 'dashed' },
    ...seedSets,
  ]);
  return validateChart({ id, title, caption, xLabel, yLabel: 'backbone AUC', xLog: true, ...aligned });
}

/** Finding 1: backbone AUC against the number of training images (fixed small model, same steps). */
export function aucVsDataChart(runs: readonly StudyRun[], group = 'data-size'): ChartSpec {
  const long = group === 'data-size-long';
  return meanSpreadChart(
    long ? 'auc-vs-data-long' : 'auc-vs-data',
    `AUC vs training set size (fixed small CNN, ${long ? '2000' : '500'} steps)`,
    'CNN width 0.25 (16-d features), the same step budget for every data size. Mean and \u00b1 1 sd over seeds, and each seed.',
    'training images',
    groupBy(dataSizeRuns(runs, group), (r) => r.dataSize),
  );
}

/** Finding 2: backbone AUC against the parameter count (all of MNIST). */
export function aucVsModelChart(runs: readonly StudyRun[]): ChartSpec {
  return meanSpreadChart('auc-vs-model', 'AUC vs model size (all of MNIST, same step budget)', 'CNN widths 0.25, 0.5, 1 (x = trainable parameters of backbone + heads). Mean and \u00b1 1 sd over seeds.', 'parameters', groupBy(modelSizeRuns(runs), (r) => r.params));
}

/** Finding 3: final linear-probe accuracy against backbone AUC over every run, with the least-squares line. */
export function accuracyVsAucChart(runs: readonly StudyRun[]): ChartSpec {
  const usable = runs.filter((r) => !r.stoppedEarly && Number.isFinite(r.auc) && Number.isFinite(r.linearProbe)).sort((a, b) => a.auc - b.auc);
  const line = fitLine(usable.map((r) => r.auc), usable.map((r) => 100 * r.linearProbe));
  const byGroup = [...groupBy(usable, (r) => r.group).entries()].map(([group, rs]) => ({ label: group, points: rs.map((r) => [r.auc, 100 * r.linearProbe] as [number, number]), style: 'points' as const }));
  const aligned = alignSeries([{ label: 'least-squares line', points: usable.map((r) => [r.auc, line.intercept + line.slope * r.auc] as [number, number]) }, ...byGroup]);
  return validateChart({
    id: 'accuracy-vs-auc',
    title: 'Linear-probe accuracy vs backbone AUC (every finished run)',
    caption: `Each point a finished run; least-squares line: accuracy = ${line.intercept.toFixed(1)} ${line.slope < 0 ? '-' : '+'} ${Math.abs(line.slope).toFixed(1)} x AUC (percent).`,
    xLabel: 'backbone AUC',
    yLabel: 'linear-probe accuracy (%)',
    ...aligned,
  });
}

function regimeCurve(id: string, title: string, caption: string, yLabel: string, runs: readonly StudyRun[], pick: (r: StudyRun) => [number, number][]): ChartSpec {
  const sets = [...groupBy(regimeRuns(runs), (r) => r.arm ?? 'multi-epoch (iid)').entries()].map(([arm, rs]) => {
    const bySteps = groupBy(rs.flatMap(pick), (p) => p[0]);
    const points = [...bySteps.entries()].map(([step, ps]) => [step, ps.reduce((a, p) => a + p[1], 0) / ps.length] as [number, number]);
    return { label: `${arm} (${rs.length} seeds)`, points };
  });
  return validateChart({ id, title, caption, xLabel: 'step', yLabel, ...alignSeries(sets) });
}

/** Finding 4: training loss per regime (mean over seeds, 10-step bins). */
export function regimeLossChart(runs: readonly StudyRun[]): ChartSpec {
  const binned = (r: StudyRun): [number, number][] => [...groupBy(r.loss, (p) => Math.ceil(p[0] / 10) * 10).entries()].map(([s, ps]) => [s, ps.reduce((a, p) => a + p[1], 0) / ps.length]);
  return regimeCurve('regime-loss', 'Training loss per regime (equal compute)', 'SimSiam loss (negative cosine, floor -1), mean over seeds in 10-step bins.', 'loss', runs, binned);
}

/** Finding 4: backbone AUC at the evaluations per regime. */
export function regimeAucChart(runs: readonly StudyRun[]): ChartSpec {
  return regimeCurve('regime-auc', 'Backbone AUC during training per regime', 'Backbone AUC of the probe-set features at each evaluation, mean over seeds.', 'backbone AUC', runs, (r) => r.evaluations.map((e) => [e[0], e[2]]));
}

/** Every chart of the report, in page order. */
export function studyCharts(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[]): ChartSpec[] {
  const long = dataSizeRuns(runs, 'data-size-long').length > 0 ? [aucVsDataChart(runs, 'data-size-long')] : [];
  return [spectraChart(runs, reference), cumulativeChart(runs, reference), aucVsDataChart(runs), ...long, aucVsModelChart(runs), accuracyVsAucChart(runs), regimeLossChart(runs), regimeAucChart(runs)];
}
