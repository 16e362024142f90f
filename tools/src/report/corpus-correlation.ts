/**
 * Finding 3 over the collapse-continuum corpus of the monitor evaluation (docs/monitor-corpus/continuum.json):
 * 50+ settings whose accuracy really spreads (weight decay, predictor lr, widths, both methods, three
 * datasets), against the study's few settings. Each run gives one point: the width-rescaled backbone AUC and
 * RankMe of its last monitor check (the spectrum of a training batch's backbone features, as the monitor sees
 * it live) and its final linear-probe accuracy. Runs that collapsed completely are left out (they are the
 * stop-gradient finding, not a forecast across healthy and partially collapsed runs).
 *
 * The headline centres AUC and accuracy within each dataset and method (the "stratum"): it asks whether, among
 * runs of one kind, the more collapsed ones are the worse ones, without crediting AUC for MNIST being easier
 * than Fashion-MNIST. The pooled correlation is reported beside it. Intervals: percentile bootstrap over whole
 * settings (all seeds of a configuration resampled together).
 */
import { rescaledAuc } from '@siamwatch/collapse-metrics';
import { classifyCorpus } from '../monitor-evaluation/corpus-classes.ts';
import type { CorpusFile } from '../monitor-evaluation/corpus-file.ts';
import { alignSeries, validateChart, type ChartSpec } from './chart-spec.ts';
import { clusterBootstrap, type Effect } from './effect-intervals.ts';
import { fitLine, pearson } from './report-stats.ts';

/** One corpus run as a point of finding 3. Accuracy is a fraction. */
export interface CorpusPoint {
  id: string;
  setting: string;
  /** `dataset/method`: the unit the headline centres within. */
  stratum: string;
  rescaledAuc: number;
  /** RankMe over the feature width d (0-1), so that widths compare. */
  rankmeRatio: number;
  accuracy: number;
}

/**
 * The points of a corpus: runs that trained their whole budget (a run the monitor stopped has no final accuracy),
 * did not collapse completely and whose last check has a backbone spectrum.
 */
export function corpusPoints(corpus: CorpusFile): CorpusPoint[] {
  return classifyCorpus(corpus.runs.filter((r) => !r.stoppedEarly))
    .filter((c) => c.cls !== 'complete-collapse')
    .flatMap(({ run }) => {
      const backbone = run.checks.at(-1)?.backbone;
      const dim = backbone?.dim;
      if (backbone === undefined || dim === undefined || !Number.isFinite(backbone.auc) || !Number.isFinite(run.finalLinearProbeAccuracy)) return [];
      return [{ id: run.id, setting: run.setting, stratum: `${run.dataset}/${run.method}`, rescaledAuc: rescaledAuc(backbone.auc, dim), rankmeRatio: backbone.rankme / dim, accuracy: run.finalLinearProbeAccuracy }];
    });
}

/** The points with `rescaledAuc`, `rankmeRatio` and `accuracy` minus their stratum's mean. */
export function centredWithinStrata(points: readonly CorpusPoint[]): CorpusPoint[] {
  const means = new Map<string, { auc: number; rankme: number; acc: number; n: number }>();
  for (const p of points) {
    const m = means.get(p.stratum) ?? { auc: 0, rankme: 0, acc: 0, n: 0 };
    means.set(p.stratum, { auc: m.auc + p.rescaledAuc, rankme: m.rankme + p.rankmeRatio, acc: m.acc + p.accuracy, n: m.n + 1 });
  }
  return points.map((p) => {
    const m = means.get(p.stratum) as { auc: number; rankme: number; acc: number; n: number };
    return { ...p, rescaledAuc: p.rescaledAuc - m.auc / m.n, rankmeRatio: p.rankmeRatio - m.rankme / m.n, accuracy: p.accuracy - m.acc / m.n };
  });
}

/**
 * Pearson r between `x` and accuracy over the points, with a percentile bootstrap over whole settings.
 * `centre` re-centres within strata inside every replicate, so the interval accounts for it.
 */
export function corpusCorrelation(points: readonly CorpusPoint[], x: (p: CorpusPoint) => number, centre: boolean): Effect {
  const settings = [...new Set(points.map((p) => p.setting))];
  const clusters = settings.map((s) => points.filter((p) => p.setting === s));
  const statistic = (ps: CorpusPoint[]) => {
    const use = centre ? centredWithinStrata(ps) : ps;
    return pearson(use.map(x), use.map((p) => p.accuracy));
  };
  const what = centre ? 'Pearson r within dataset and method (both centred per stratum)' : 'Pearson r, pooled';
  if (clusters.length < 3) return { effect: Number.NaN, low: Number.NaN, high: Number.NaN, n: points.length, test: `${what} (fewer than 3 settings: no interval)` };
  return clusterBootstrap(clusters, statistic, { test: `${what}, percentile bootstrap over ${clusters.length} corpus settings (2000 replicates)` });
}

/** Finding 3's corpus chart: accuracy against rescaled AUC, both centred within dataset and method, one series per stratum. */
export function corpusCorrelationChart(points: readonly CorpusPoint[]): ChartSpec {
  const centred = centredWithinStrata(points);
  const line = fitLine(centred.map((p) => p.rescaledAuc), centred.map((p) => 100 * p.accuracy));
  const strata = [...new Set(centred.map((p) => p.stratum))].sort();
  const aligned = alignSeries([
    { label: 'least-squares line', points: centred.map((p) => [p.rescaledAuc, line.intercept + line.slope * p.rescaledAuc] as [number, number]) },
    ...strata.map((stratum) => ({ label: stratum, style: 'points' as const, points: centred.filter((p) => p.stratum === stratum).map((p) => [p.rescaledAuc, 100 * p.accuracy] as [number, number]) })),
  ]);
  return validateChart({
    id: 'accuracy-vs-auc-corpus',
    title: 'Collapse-continuum corpus: accuracy vs rescaled AUC within dataset and method',
    caption: `Each point a corpus run that did not collapse completely (${points.length} runs); both axes centred on the mean of its dataset and method, so the plot shows whether the more collapsed runs of one kind are the worse ones. Least-squares slope ${line.slope.toFixed(1)} points of accuracy per unit of rescaled AUC.`,
    xLabel: 'rescaled backbone AUC, centred per dataset and method',
    yLabel: 'linear-probe accuracy, centred (points)',
    ...aligned,
  });
}
