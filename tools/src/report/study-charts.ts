/**
 * The report's charts, built from the study runs: training-set spectra on a log scale next to the paper
 * authors' ResNet-18/ImageNet spectra (reference curves), cumulative explained variance, the rescaled AUC vs
 * the subset size beside the authors' rescaled AUCs, the AUC over training per subset, the rescaled AUC vs
 * model size (mean and spread over seeds), accuracy vs AUC with the fitted line, and curves per regime.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cumulativeExplainedVariance, rescaledAuc, spectrumAuc } from '@siamwatch/collapse-metrics';
import { alignSeries, atRelativeRank, validateChart, type ChartSpec } from './chart-spec.ts';
import { fitLine, ReportStatsError, spread } from './report-stats.ts';
import { corpusCorrelationChart, type CorpusPoint } from './corpus-correlation.ts';
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
  const ours = picked.map((r) => ({ label: `ours: width ${r.width}, ${r.dataSize} images (${+(100 * r.fraction).toFixed(1)}%, d=${r.spectrum.length})`, values: transform(r.spectrum) }));
  const theirs = reference.filter((r) => [1, 10, 100].includes(r.percent)).map((r) => ({ label: `paper: ResNet-18, ${r.percent}% ImageNet (d=512)`, values: transform(r.singularValues) }));
  return [...ours, ...theirs];
}

/** Spectra s_k / s_1 (log scale) against the relative rank k/d. */
export function spectraChart(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[]): ChartSpec {
  const sets = spectrumSets(runs, reference, (s) => atRelativeRank(s.map((v) => Math.max(v / s[0], 1e-6)), GRID));
  return validateChart({
    id: 'spectra',
    title: 'Singular value spectra of the backbone (log scale)',
    caption: 'Final training-set backbone spectra of the data-size and model-size runs (first seed; training images without augmentation, centred, raw singular values, as the authors take them) and the paper authors\u2019 SimSiam ResNet-18 spectra as reference curves, normalised by the top singular value, against the relative rank k/d.',
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

type XY = [number, number];

function meanSpreadChart(o: { id: string; title: string; caption: string; xLabel: string; yLabel: string; groups: Map<number, StudyRun[]>; value: (r: StudyRun) => number; extra?: { label: string; points: XY[]; style?: 'points' | 'line' }[] }): ChartSpec {
  const rows = [...o.groups.entries()].sort((a, b) => a[0] - b[0]).map(([x, rs]) => ({ x, s: spread(rs.map(o.value)), runs: rs }));
  const points = (f: (row: (typeof rows)[number]) => number) => rows.map((row) => [row.x, f(row)] as XY);
  const sd = (row: (typeof rows)[number]) => (Number.isFinite(row.s.sd) ? row.s.sd : 0);
  const seedSets = [...groupBy(rows.flatMap((row) => row.runs.map((r) => ({ x: row.x, r }))), (p) => p.r.seed).entries()].map(([seed, ps]) => ({
    label: `seed ${seed}`,
    points: ps.map((p) => [p.x, o.value(p.r)] as XY),
    style: 'points' as const,
  }));
  const aligned = alignSeries([
    { label: 'mean', points: points((r) => r.s.mean) },
    { label: 'mean - sd', points: points((r) => r.s.mean - sd(r)), style: 'dashed' },
    { label: 'mean + sd', points: points((r) => r.s.mean + sd(r)), style: 'dashed' },
    ...seedSets,
    ...(o.extra ?? []),
  ]);
  return validateChart({ id: o.id, title: o.title, caption: o.caption, xLabel: o.xLabel, yLabel: o.yLabel, xLog: true, ...aligned });
}

/** Finding 1: the rescaled training-set AUC against the subset (% of the full set), beside the authors' rescaled AUCs. */
export function aucVsDataChart(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[]): ChartSpec {
  const paper = reference.map((r) => [r.percent, rescaledAuc(spectrumAuc(r.singularValues), r.singularValues.length)] as XY).sort((a, b) => a[0] - b[0]);
  return meanSpreadChart({
    id: 'auc-vs-data',
    title: 'Rescaled AUC vs subset size (`last` strategy, compute fixed per full-set epoch)',
    caption: 'Width-rescaled training-set AUC, (AUC - (d+1)/(2d)) / (1 - (d+1)/(2d)): 0 flat, 1 rank one. Ours: CNN width 0.25 (d=16), mean \u00b1 1 sd over seeds and each seed; paper: the authors\u2019 ResNet-18 spectra (d=512) on 1-100% of ImageNet.',
    xLabel: 'subset (% of the full set)',
    yLabel: 'rescaled backbone AUC',
    groups: groupBy(dataSizeRuns(runs), (r) => 100 * r.fraction),
    value: (r) => r.trainAucRescaled,
    extra: [{ label: 'paper: ResNet-18 on % of ImageNet (d=512)', points: paper, style: 'line' }],
  });
}

/** Finding 1: the training-set AUC at every evaluation, mean over seeds, one series per subset. */
export function aucOverTrainingChart(runs: readonly StudyRun[]): ChartSpec {
  const sets = [...groupBy(dataSizeRuns(runs), (r) => r.dataSize).entries()]
    .sort((a, b) => a[0] - b[0])
    .flatMap(([size, rs]) => {
      const mean = (column: 3 | 4): XY[] => {
        const bySteps = groupBy(rs.flatMap((r) => r.evaluations.map((e) => [e[0], e[column]] as XY)), (p) => p[0]);
        return [...bySteps.entries()].map(([step, ps]) => [step, spread(ps.map((p) => p[1])).mean] as XY);
      };
      const own = rs[0].fraction < 1 ? [{ label: `${size} images: on its own subset`, points: mean(4), style: 'dashed' as const }] : [];
      return [{ label: `${size} images (${rs.length} seeds)`, points: mean(3) }, ...own];
    });
  return validateChart({
    id: 'auc-over-training',
    title: 'Training-set AUC over training, per subset size',
    caption: 'Backbone AUC of 1,000 training-split images without augmentation at each evaluation (step 0 = the random network), mean over seeds; dashed: the same on the images of the run\u2019s own `last` subset. The runs train the same number of steps whatever the subset.',
    xLabel: 'step',
    yLabel: 'backbone AUC (train)',
    ...alignSeries(sets),
  });
}

/** Finding 2: the rescaled training-set AUC against the parameter count (full set). */
export function aucVsModelChart(runs: readonly StudyRun[]): ChartSpec {
  return meanSpreadChart({
    id: 'auc-vs-model',
    title: 'Rescaled AUC vs model size (full set, same steps)',
    caption: 'CNN widths 0.25, 0.5, 1 (16-, 32-, 64-d features; x = trainable parameters of backbone + heads). The AUC is rescaled by the width\u2019s floor (d+1)/(2d) so that widths compare. Mean and \u00b1 1 sd over seeds.',
    xLabel: 'parameters',
    yLabel: 'rescaled backbone AUC',
    groups: groupBy(modelSizeRuns(runs), (r) => r.params),
    value: (r) => r.trainAucRescaled,
  });
}

/** Finding 3: final linear-probe accuracy against the rescaled training-set AUC of every run with stop-gradient, with the least-squares line. */
export function accuracyVsAucChart(runs: readonly StudyRun[]): ChartSpec {
  const usable = runs
    .filter((r) => !r.stoppedEarly && r.variant !== 'no stop-gradient' && Number.isFinite(r.trainAucRescaled) && Number.isFinite(r.linearProbe))
    .sort((a, b) => a.trainAucRescaled - b.trainAucRescaled);
  const line = fitLine(usable.map((r) => r.trainAucRescaled), usable.map((r) => 100 * r.linearProbe));
  const byGroup = [...groupBy(usable, (r) => r.group).entries()].map(([group, rs]) => ({ label: group, points: rs.map((r) => [r.trainAucRescaled, 100 * r.linearProbe] as XY), style: 'points' as const }));
  const aligned = alignSeries([{ label: 'least-squares line', points: usable.map((r) => [r.trainAucRescaled, line.intercept + line.slope * r.trainAucRescaled] as XY) }, ...byGroup]);
  return validateChart({
    id: 'accuracy-vs-auc',
    title: 'Linear-probe accuracy vs rescaled AUC (runs with stop-gradient)',
    caption: `Each point a finished run with stop-gradient (the no-stop-gradient runs, at chance accuracy and AUC near 1, are in the finding-3 table only); least-squares line: accuracy = ${line.intercept.toFixed(1)} ${line.slope < 0 ? '-' : '+'} ${Math.abs(line.slope).toFixed(1)} x rescaled AUC (percent).`,
    xLabel: 'rescaled backbone AUC (train)',
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
  return regimeCurve('regime-auc', 'Training-set AUC during training per regime', 'Backbone AUC of training images without augmentation at each evaluation, mean over seeds.', 'backbone AUC (train)', runs, (r) => r.evaluations.map((e) => [e[0], e[3]]));
}

/** Every chart of the report that has data, in page order. */
export function studyCharts(runs: readonly StudyRun[], reference: readonly ReferenceSpectrum[], corpus: readonly CorpusPoint[] = []): ChartSpec[] {
  const builders = [
    () => spectraChart(runs, reference),
    () => cumulativeChart(runs, reference),
    () => aucVsDataChart(runs, reference),
    () => aucOverTrainingChart(runs),
    () => aucVsModelChart(runs),
    () => accuracyVsAucChart(runs),
    () => corpusCorrelationChart(corpus),
    () => regimeLossChart(runs),
    () => regimeAucChart(runs),
  ];
  // a partial grid (e.g. stopped at a deadline) leaves some charts without runs: those are left out
  return builders.flatMap((build) => {
    try {
      return [build()];
    } catch (error) {
      if (error instanceof ReportStatsError && /has no data|at least 2 points/.test(error.message)) return [];
      throw error;
    }
  });
}
