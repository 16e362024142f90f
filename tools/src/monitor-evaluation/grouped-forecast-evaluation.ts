/**
 * The forecast evaluated by setting: the corpus's settings (all seeds of one configuration) are dealt into K
 * folds; for each fold a calibration is fitted on the other folds only (its penalty, standardisation and
 * conformal residuals all inside them) and forecasts the fold's runs at 25/50/75% of training, with 80% and 90%
 * intervals. Two baselines are fitted on the same training folds: the constant "mean final accuracy of the
 * training runs" and the least-squares line on backbone AUC at that point of training.
 */
import { fitCalibration, forecastAccuracy, groupFolds, nearestCheck, type Calibration, type CalibrationRun, type FitCalibrationOptions } from '@siamwatch/monitor';
import { fitLine, spearman } from '../report/report-stats.ts';
import type { ClassifiedRun } from './corpus-classes.ts';

/** One held-out run's forecast at one point of training. Accuracies are fractions. */
export interface HeldOutForecast {
  id: string;
  setting: string;
  method: string;
  progress: number;
  point: number;
  low80: number;
  high80: number;
  low90: number;
  high90: number;
  actual: number;
  constant: number;
  aucOnly: number;
  /** Scored: the run did not collapse completely. */
  scored: boolean;
}

/** The figures at one point of training, over scored runs. Errors in percentage points. */
export interface ForecastSummary {
  progress: number;
  runs: number;
  settings: number;
  mae: number;
  constantBaselineMae: number;
  aucOnlyBaselineMae: number;
  spearman: number;
  coverage80: number;
  coverage90: number;
}

/** Options of {@link groupedForecastEvaluation}. */
export interface GroupedEvaluationOptions {
  /** Outer folds by setting. Default 10. */
  folds?: number;
  seed?: number;
  /** Points of training evaluated. Default [0.25, 0.5, 0.75]. */
  at?: number[];
  /** Options of every fold's `fitCalibration`. */
  fit?: FitCalibrationOptions;
  /** Fit on every run (`all`) or only on runs that did not collapse completely. Default `all`. */
  fitOn?: 'all' | 'not-collapsed';
}

/** The calibration run of a classified corpus run (group = its setting). */
export function calibrationRunOfCorpus(c: ClassifiedRun): CalibrationRun {
  const r = c.run;
  return {
    id: r.id,
    group: r.setting,
    checks: r.checks,
    finalLinearProbeAccuracy: r.finalLinearProbeAccuracy,
    method: r.method,
    ...(r.modelParams !== undefined ? { modelParams: r.modelParams } : {}),
    ...(r.dataSize !== undefined ? { dataSize: r.dataSize } : {}),
    label: c.cls === 'complete-collapse' ? 'collapsed' : 'healthy',
  };
}

const mean = (v: readonly number[]) => (v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length);

/** Summarises the scored rows at one point of training. */
export function summarise(rows: readonly HeldOutForecast[], progress: number): ForecastSummary {
  const r = rows.filter((row) => row.scored && row.progress === progress);
  const pp = (f: (row: HeldOutForecast) => number) => 100 * mean(r.map((row) => Math.abs(f(row) - row.actual)));
  return {
    progress,
    runs: r.length,
    settings: new Set(r.map((row) => row.setting)).size,
    mae: pp((row) => row.point),
    constantBaselineMae: pp((row) => row.constant),
    aucOnlyBaselineMae: pp((row) => row.aucOnly),
    spearman: r.length >= 3 ? spearman(r.map((row) => row.point), r.map((row) => row.actual)) : Number.NaN,
    coverage80: mean(r.map((row) => (row.actual >= row.low80 && row.actual <= row.high80 ? 1 : 0))),
    coverage90: mean(r.map((row) => (row.actual >= row.low90 && row.actual <= row.high90 ? 1 : 0))),
  };
}

/** What {@link groupedForecastEvaluation} returns; `calibrations` maps a run id to the calibration that never saw its setting. */
export interface GroupedEvaluation {
  rows: HeldOutForecast[];
  summaries: ForecastSummary[];
  calibrations: Map<string, Calibration>;
}

/** Runs the grouped evaluation over the classified runs (complete collapses are fitted on but not scored). */
export function groupedForecastEvaluation(runs: readonly ClassifiedRun[], options: GroupedEvaluationOptions = {}): GroupedEvaluation {
  const at = options.at ?? [0.25, 0.5, 0.75];
  const folds = groupFolds(runs.map((c) => c.run.setting), options.folds ?? 10, options.seed ?? 0);
  const rows: HeldOutForecast[] = [];
  const calibrations = new Map<string, Calibration>();
  for (const fold of [...new Set(folds)].sort((a, b) => a - b)) {
    const train = runs.filter((_, i) => folds[i] !== fold);
    const test = runs.filter((_, i) => folds[i] === fold);
    const fitRuns = (options.fitOn === 'not-collapsed' ? train.filter((c) => c.cls !== 'complete-collapse') : train).map(calibrationRunOfCorpus);
    const calibration = fitCalibration(fitRuns, { createdAt: '1970-01-01T00:00:00.000Z', ...options.fit });
    for (const c of test) calibrations.set(c.run.id, calibration);
    const healthyTrain = train.filter((c) => c.cls !== 'complete-collapse');
    const constant = mean(healthyTrain.map((c) => c.run.finalLinearProbeAccuracy));
    for (const progress of at) {
      const pairs = healthyTrain.flatMap((c) => {
        const i = nearestCheck(c.run.checks, progress, 0.06);
        const auc = i >= 0 ? c.run.checks[i].backbone?.auc : undefined;
        return auc !== undefined && Number.isFinite(auc) ? [[auc, c.run.finalLinearProbeAccuracy]] : [];
      });
      const line = fitLine(pairs.map((p) => p[0]), pairs.map((p) => p[1]));
      for (const c of test) {
        const index = nearestCheck(c.run.checks, progress, 0.06);
        if (index < 0) continue;
        const context = { modelParams: c.run.modelParams, dataSize: c.run.dataSize, method: c.run.method };
        const f80 = forecastAccuracy(calibration, c.run.checks, context, 0.8, index);
        const f90 = forecastAccuracy(calibration, c.run.checks, context, 0.9, index);
        const auc = c.run.checks[index].backbone?.auc ?? Number.NaN;
        rows.push({
          id: c.run.id,
          setting: c.run.setting,
          method: c.run.method,
          progress,
          point: f90.point,
          low80: f80.low,
          high80: f80.high,
          low90: f90.low,
          high90: f90.high,
          actual: c.run.finalLinearProbeAccuracy,
          constant,
          aucOnly: Math.min(1, Math.max(0, line.intercept + line.slope * auc)),
          scored: c.cls !== 'complete-collapse',
        });
      }
    }
  }
  return { rows, summaries: at.map((p) => summarise(rows, p)), calibrations };
}
