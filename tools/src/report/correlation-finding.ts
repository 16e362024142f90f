/**
 * Finding 3 (the AUC ranks runs by accuracy without labels): over the collapse-continuum corpus when one is
 * given (its settings spread accuracy for real: see corpus-correlation.ts), and over the study's own runs.
 * The headline is the corpus's within-stratum correlation; without a corpus, the study's.
 */
import { checked, formatEffect, RESCALED, type CheckedEffect, type Finding } from './checked-effect.ts';
import { corpusCorrelation, type CorpusPoint } from './corpus-correlation.ts';
import { clusterBootstrap, type Effect } from './effect-intervals.ts';
import { pearson, spearman } from './report-stats.ts';
import { groupBy, type StudyRun } from './study-runs.ts';

/** The setting of a run (everything but the seed): the cluster of finding 3's bootstrap. */
export function settingOf(r: StudyRun): string {
  return `${r.group}|${r.fraction}|${r.width}|${r.arm ?? ''}|${r.variant}`;
}

const CORPUS_AUC = 'width-rescaled backbone AUC of the last monitor check (a training batch, live), continuum corpus';

/** Finding 3 over the study runs and, when given, the corpus points. */
export function correlationFinding(runs: readonly StudyRun[], corpus: readonly CorpusPoint[] = []): Finding {
  const usable = runs.filter((r) => !r.stoppedEarly && Number.isFinite(r.trainAucRescaled) && Number.isFinite(r.linearProbe));
  const healthy = usable.filter((r) => r.variant !== 'no stop-gradient');
  const clusters = (rs: StudyRun[]) => [...groupBy(rs, settingOf).values()];
  const corr = (x: (r: StudyRun) => number) => (ps: StudyRun[]) => pearson(ps.map(x), ps.map((r) => r.linearProbe));
  const boot = (rs: StudyRun[], x: (r: StudyRun) => number): Effect =>
    clusters(rs).length >= 3 ? clusterBootstrap(clusters(rs), corr(x), { test: `Pearson r, percentile bootstrap over ${clusters(rs).length} settings (2000 replicates)` }) : { effect: Number.NaN, low: Number.NaN, high: Number.NaN, n: rs.length, test: 'Pearson r (fewer than 3 settings: no interval)' };
  const study = checked('study: Pearson r(rescaled AUC, linear-probe accuracy), runs with stop-gradient', boot(healthy, (r) => r.trainAucRescaled), -1, 'negative: less collapse, higher accuracy', RESCALED);
  const rankme = checked('study: Pearson r(RankMe, linear-probe accuracy), runs with stop-gradient', boot(healthy, (r) => r.trainRankme), 1, 'positive: higher effective rank, higher accuracy', 'backbone RankMe on training images');
  const every = checked('study: Pearson r(rescaled AUC, accuracy), every run incl. no stop-gradient', boot(usable, (r) => r.trainAucRescaled), -1, 'negative', RESCALED);
  const corpusSettings = new Set(corpus.map((p) => p.setting)).size;
  const fromCorpus = corpusSettings >= 3;
  const corpusAuc = checked('corpus: Pearson r(rescaled AUC, accuracy) within dataset and method', corpusCorrelation(corpus, (p) => p.rescaledAuc, true), -1, 'negative: less collapse, higher accuracy', CORPUS_AUC);
  const corpusPooled = checked('corpus: Pearson r(rescaled AUC, accuracy), pooled', corpusCorrelation(corpus, (p) => p.rescaledAuc, false), -1, 'negative', CORPUS_AUC);
  const corpusRankme = checked('corpus: Pearson r(RankMe / d, accuracy) within dataset and method', corpusCorrelation(corpus, (p) => p.rankmeRatio, true), 1, 'positive: higher effective rank, higher accuracy', 'backbone RankMe / feature width of the last monitor check, continuum corpus');
  const headline = fromCorpus ? corpusAuc : study;
  const parts = fromCorpus ? [corpusPooled, corpusRankme, study, rankme, every] : [rankme, every];
  const row = (label: string, rs: StudyRun[], e: CheckedEffect, x: (r: StudyRun) => number) => [label, String(rs.length), String(clusters(rs).length), formatEffect(e, 2), rs.length >= 3 ? spearman(rs.map(x), rs.map((r) => r.linearProbe)).toFixed(2) : '-'];
  const corpusRow = (label: string, e: CheckedEffect, x: (p: CorpusPoint) => number) => [label, String(corpus.length), String(corpusSettings), formatEffect(e, 2), spearman(corpus.map(x), corpus.map((p) => p.accuracy)).toFixed(2)];
  const studyText = `study: r = ${formatEffect(study, 2)} over ${healthy.length} runs in ${clusters(healthy).length} settings with stop-gradient; RankMe: r = ${formatEffect(rankme, 2)}`;
  return {
    id: 3,
    title: 'AUC forecasts accuracy across settings',
    paper: 'Across runs, lower backbone AUC (less collapse) goes with higher linear-probe accuracy, so the AUC ranks runs without labels.',
    verdict: headline.verdict,
    headline,
    parts,
    measured: fromCorpus
      ? `continuum corpus (${corpus.length} runs that did not collapse completely, ${corpusSettings} settings): r = ${formatEffect(corpusAuc, 2)} within dataset and method, ${formatEffect(corpusPooled, 2)} pooled; RankMe / d: r = ${formatEffect(corpusRankme, 2)} (${corpusAuc.test}); ${studyText}`
      : studyText,
    header: ['runs', 'n', 'settings', 'Pearson r [95% CI]', 'Spearman rho'],
    rows: [
      ...(fromCorpus
        ? [
            corpusRow('corpus: rescaled AUC (pooled; Spearman pooled)', corpusPooled, (p) => p.rescaledAuc),
            corpusRow('corpus: rescaled AUC within dataset and method (Spearman pooled)', corpusAuc, (p) => p.rescaledAuc),
            corpusRow('corpus: RankMe / d within dataset and method (Spearman pooled)', corpusRankme, (p) => p.rankmeRatio),
          ]
        : []),
      row('study: rescaled AUC, with stop-gradient', healthy, study, (r) => r.trainAucRescaled),
      row('study: RankMe, with stop-gradient', healthy, rankme, (r) => r.trainRankme),
      row('study: rescaled AUC, every run', usable, every, (r) => r.trainAucRescaled),
    ],
  };
}
