/**
 * The whole monitor evaluation on a corpus: classes, the forecast held out by setting (25/50/75% of training,
 * two baselines, Spearman, 80/90% coverage), feature ablations at half, the onset/decision replay, the arms
 * comparison, and the calibration fitted on every continuum run (what the monitor ships).
 */
import { fitCalibration, type Calibration, type FitCalibrationOptions } from '@siamwatch/monitor';
import { armPairs, summariseArms, type ArmPair, type ArmSummary } from './arms-comparison.ts';
import { classifyCorpus, type ClassifiedRun } from './corpus-classes.ts';
import type { CorpusFile } from './corpus-file.ts';
import { calibrationRunOfCorpus, groupedForecastEvaluation, type ForecastSummary, type HeldOutForecast } from './grouped-forecast-evaluation.ts';
import { onsetEvaluation, type OnsetRow, type OnsetSummary } from './onset-evaluation.ts';

/** Anchors of the shipped calibration (the evaluation's 25/50/75% are anchors). */
export const EVALUATION_ANCHORS = [0.1, 0.25, 0.5, 0.75, 1];

/** Feature groups removed one at a time to see which carry the forecast. */
export const FEATURE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  loss: ['lossGap', 'lossGapTrend'],
  'backbone spectrum': ['backbone.aucRel', 'backbone.aucRelTrend', 'backbone.logRankmeFrac', 'backbone.logRankmeVsPeak', 'backbone.logRankmeTrend', 'backbone.alpha'],
  'projector spectrum': ['projector.aucRel', 'projector.aucRelTrend', 'projector.logRankmeFrac', 'projector.logRankmeVsPeak', 'projector.logRankmeTrend'],
  'trends and fall from peak': ['lossGapTrend', 'backbone.aucRelTrend', 'backbone.logRankmeVsPeak', 'backbone.logRankmeTrend', 'projector.aucRelTrend', 'projector.logRankmeVsPeak', 'projector.logRankmeTrend'],
  'model, data size, method': ['logModelParams', 'logDataSize', 'method.byol'],
};

/** Everything the evaluation measured. */
export interface MonitorEvaluation {
  classes: ClassifiedRun[];
  forecastRows: HeldOutForecast[];
  forecast: ForecastSummary[];
  ablations: { without: string; maeAtHalf: number; spearmanAtHalf: number }[];
  onsetRows: OnsetRow[];
  onset: OnsetSummary[];
  armPairs: ArmPair[];
  arms: ArmSummary[];
  calibration: Calibration;
  folds: number;
  features: string[];
}

/** Options of {@link evaluateMonitor}. */
export interface EvaluateMonitorOptions {
  folds?: number;
  createdAt?: string;
  /** Skip the feature ablations (each is a full grouped evaluation). */
  ablations?: boolean;
  fit?: FitCalibrationOptions;
}

/** Runs the evaluation on the `continuum` runs of the corpus (the arms come from `continuum-observe`/`continuum-act`). */
export function evaluateMonitor(corpus: CorpusFile, options: EvaluateMonitorOptions = {}): MonitorEvaluation {
  const folds = options.folds ?? 10;
  const fit: FitCalibrationOptions = { anchors: EVALUATION_ANCHORS, ...options.fit };
  const classes = classifyCorpus(corpus.runs.filter((r) => r.group === 'continuum'));
  const grouped = groupedForecastEvaluation(classes, { folds, fit });
  const features = fitCalibration(classes.map(calibrationRunOfCorpus), { ...fit, createdAt: '1970-01-01T00:00:00.000Z' }).features;
  const ablations = (options.ablations ?? true)
    ? Object.entries(FEATURE_GROUPS).map(([without, names]) => {
        const kept = features.filter((f) => !names.includes(f));
        const half = groupedForecastEvaluation(classes, { folds, fit: { ...fit, features: kept }, at: [0.5] }).summaries[0];
        return { without, maeAtHalf: half.mae, spearmanAtHalf: half.spearman };
      })
    : [];
  const onset = onsetEvaluation(classes, grouped.calibrations);
  const pairs = armPairs(corpus.runs);
  const createdAt = options.createdAt ?? new Date().toISOString();
  const settings = new Set(classes.map((c) => c.run.setting)).size;
  const calibration = fitCalibration(classes.map(calibrationRunOfCorpus), {
    ...fit,
    provenance: 'trainer-runs',
    createdAt,
    description:
      `Fitted by npm run monitor:evaluate (tools/src/monitor-evaluation) from the ${classes.length} runs (${settings} settings) of the ` +
      `collapse-continuum corpus docs/monitor-corpus/continuum.json on ${createdAt.slice(0, 10)}: SimSiam and BYOL on MNIST, ` +
      `Fashion-MNIST and synthetic data at 14x14, CNN widths 0.25 and 0.5, 300 steps. Evaluated by setting in docs/monitor-evaluation.md.`,
  });
  return {
    classes,
    forecastRows: grouped.rows,
    forecast: grouped.summaries,
    ablations,
    onsetRows: onset.rows,
    onset: onset.summaries,
    armPairs: pairs,
    arms: summariseArms(pairs),
    calibration,
    folds,
    features,
  };
}
