/**
 * The whole monitor evaluation on a corpus: classes, the forecast held out by setting (25/50/75% of training,
 * two baselines, Spearman, 80/90% coverage, the seed-noise floor), feature ablations at half, the onset/decision replay, the arms
 * comparison, and the calibration fitted on every continuum run (what the monitor ships).
 */
import { DEFAULT_DECISION_OPTIONS, fitCalibration, type Calibration, type FitCalibrationOptions } from '@siamwatch/monitor';
import { armPairs, summariseArms, type ArmPair, type ArmSummary } from './arms-comparison.ts';
import { classifyCorpus, type ClassifiedRun } from './corpus-classes.ts';
import type { CorpusFile } from './corpus-file.ts';
import { calibrationRunOfCorpus, groupedForecastEvaluation, type ForecastSummary, type HeldOutForecast } from './grouped-forecast-evaluation.ts';
import { onsetEvaluation, type OnsetRow, type OnsetSummary } from './onset-evaluation.ts';
import { seedNoiseFloor, type SeedNoiseFloor } from './seed-noise-floor.ts';

/** Anchors of the shipped calibration (the evaluation's 25/50/75% are anchors). */
export const EVALUATION_ANCHORS = [0.1, 0.25, 0.5, 0.75, 1];

/**
 * The features of the corpus calibration: the loss as `1 - cos`, the spectra at the first check (what the data and
 * architecture give before training; also what flags a run unlike the corpus as an extrapolation), the
 * projector's change since then, and the method. Chosen on the corpus's first 20 runs. On the whole corpus the
 * library's default set (`FORECAST_FEATURES`) forecasts a little better (MAE 5.01 against 5.25 points) but
 * its harm rule stops three times as many healthy runs (6 of 104 against 2) and acts on runs unlike the corpus
 * (the trainer's small-MLP tests): a monitor that stops runs is kept on the set with fewer false stops
 * (docs/monitor-corpus/notes.md).
 */
export const CORPUS_FEATURES: readonly string[] = ['lossGap', 'backbone.aucRelStart', 'projector.aucRelStart', 'projector.aucRelChange', 'projector.logRankmeChange', 'method.byol'];

/** Ridge penalties of the corpus calibration (few runs per setting: stronger penalties than the library default). */
export const CORPUS_LAMBDAS: readonly number[] = [1, 3, 10, 30, 100, 300];

/** Feature groups removed one at a time to see which carry the forecast. */
export const FEATURE_GROUPS: Readonly<Record<string, readonly string[]>> = {
  'loss (1 - cos)': ['lossGap'],
  'spectra at the first check': ['backbone.aucRelStart', 'projector.aucRelStart'],
  'projector change since the first check': ['projector.aucRelChange', 'projector.logRankmeChange'],
  method: ['method.byol'],
};

/** Harm thresholds of the trade-off table: the default first, then stricter ones, then 0 (the harm rule off). */
export const HARM_DROPS: readonly number[] = [DEFAULT_DECISION_OPTIONS.harmDrop, 0.12, 0.15, 0.2, 0];

/** Everything the evaluation measured. */
export interface MonitorEvaluation {
  classes: ClassifiedRun[];
  forecastRows: HeldOutForecast[];
  forecast: ForecastSummary[];
  /** The leave-one-seed-out setting mean at half of training, and the forecast on the same runs. */
  noiseFloor: SeedNoiseFloor;
  ablations: { without: string; maeAtHalf: number; spearmanAtHalf: number }[];
  onsetRows: OnsetRow[];
  onset: OnsetSummary[];
  /** The onset replay at other harm thresholds (`decision.harmDrop`; 0 = spectrum-only rules): the trade-off. */
  harmSweep: { harmDrop: number; healthyRuns: number; falsePositives: number; collapseProneRuns: number; detected: number; medianDelaySteps: number }[];
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
  const fit: FitCalibrationOptions = { anchors: EVALUATION_ANCHORS, features: CORPUS_FEATURES, lambdas: [...CORPUS_LAMBDAS], ...options.fit };
  const classes = classifyCorpus(corpus.runs.filter((r) => r.group === 'continuum'));
  // The forecast is fitted on the runs that did not collapse completely (the onset detector's severe rule owns those).
  const fitOn = 'not-collapsed' as const;
  const fitRuns = classes.filter((c) => c.cls !== 'complete-collapse').map(calibrationRunOfCorpus);
  const grouped = groupedForecastEvaluation(classes, { folds, fit, fitOn });
  const features = [...(fit.features ?? CORPUS_FEATURES)];
  const ablations = (options.ablations ?? true)
    ? Object.entries(FEATURE_GROUPS).map(([without, names]) => {
        const kept = features.filter((f) => !names.includes(f));
        const half = groupedForecastEvaluation(classes, { folds, fit: { ...fit, features: kept }, fitOn, at: [0.5] }).summaries[0];
        return { without, maeAtHalf: half.mae, spearmanAtHalf: half.spearman };
      })
    : [];
  const onset = onsetEvaluation(classes, grouped.calibrations);
  const harmSweep = HARM_DROPS.map((harmDrop) => {
    const all = onsetEvaluation(classes, grouped.calibrations, { decision: { harmDrop } }).summaries[0];
    return { harmDrop, healthyRuns: all.healthyRuns, falsePositives: all.falsePositives, collapseProneRuns: all.collapseProneRuns, detected: all.detected, medianDelaySteps: all.medianDelaySteps };
  });
  const pairs = armPairs(corpus.runs);
  const createdAt = options.createdAt ?? new Date().toISOString();
  const settings = new Set(classes.map((c) => c.run.setting)).size;
  const calibration = fitCalibration(fitRuns, {
    ...fit,
    provenance: 'trainer-runs',
    createdAt,
    description:
      `Fitted by npm run monitor:evaluate (tools/src/monitor-evaluation) from the ${fitRuns.length} runs that did not collapse completely (of ${classes.length} runs, ${settings} settings) of the ` +
      `collapse-continuum corpus docs/monitor-corpus/continuum.json on ${createdAt.slice(0, 10)}: SimSiam and BYOL on MNIST, ` +
      `Fashion-MNIST and synthetic data at 14x14, CNN widths 0.25 and 0.5, 300 steps. Evaluated by setting in docs/monitor-evaluation.md.`,
  });
  return {
    classes,
    forecastRows: grouped.rows,
    forecast: grouped.summaries,
    noiseFloor: seedNoiseFloor(grouped.rows, 0.5),
    ablations,
    onsetRows: onset.rows,
    onset: onset.summaries,
    harmSweep,
    armPairs: pairs,
    arms: summariseArms(pairs),
    calibration,
    folds,
    features,
  };
}
