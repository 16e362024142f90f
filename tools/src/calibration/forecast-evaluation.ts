/**
 * Held-out evaluation of the monitor's forecast: for each held-out run, the forecast made at a given
 * fraction of training (default half; features from the label-free trajectory up to that check only)
 * against the run's measured final linear-probe accuracy. Reports the mean absolute error in percentage
 * points and the empirical coverage of the prediction interval against its stated level.
 */
import { forecastAccuracy, nearestCheck, progressOf, type Calibration, type CalibrationRun } from '@siamwatch/monitor';

/** One held-out run's forecast. Accuracies are fractions in [0, 1]. */
export interface ForecastRow {
  id: string;
  /** Training progress of the check the forecast was made at. */
  progress: number;
  point: number;
  low: number;
  high: number;
  actual: number;
  /** point - actual, in percentage points. */
  errorPp: number;
  covered: boolean;
}

/** The whole evaluation. `maePp`: mean |point - actual| in percentage points; `coverage`: share covered. */
export interface ForecastEvaluation {
  atProgress: number;
  level: number;
  rows: ForecastRow[];
  maePp: number;
  coverage: number;
  /** MAE of the trivial forecast "the mean final accuracy of the training runs" (a baseline). */
  baselineMaePp: number;
  /** Held-out runs with no check within the tolerance of `atProgress` (not evaluated). */
  missing: string[];
}

/** Options of {@link evaluateForecasts}. */
export interface EvaluateForecastOptions {
  /** Fraction of training at which the forecast is made. Default 0.5. */
  atProgress?: number;
  /** Interval level. Default 0.9. */
  level?: number;
  /** Largest distance between `atProgress` and the check used. Default 0.06 (as the calibration). */
  tolerance?: number;
}

/** Evaluates `calibration` on `heldOut` runs (never seen by the fit). */
export function evaluateForecasts(calibration: Calibration, heldOut: readonly CalibrationRun[], options: EvaluateForecastOptions = {}): ForecastEvaluation {
  const atProgress = options.atProgress ?? 0.5;
  const level = options.level ?? 0.9;
  const tolerance = options.tolerance ?? 0.06;
  const rows: ForecastRow[] = [];
  const missing: string[] = [];
  heldOut.forEach((run, i) => {
    const id = run.id ?? `run-${i}`;
    const index = nearestCheck(run.checks, atProgress, tolerance);
    if (index < 0) {
      missing.push(id);
      return;
    }
    const forecast = forecastAccuracy(calibration, run.checks, { modelParams: run.modelParams, dataSize: run.dataSize }, level, index);
    const actual = run.finalLinearProbeAccuracy;
    rows.push({
      id,
      progress: progressOf(run.checks[index]),
      point: forecast.point,
      low: forecast.low,
      high: forecast.high,
      actual,
      errorPp: 100 * (forecast.point - actual),
      covered: actual >= forecast.low - 1e-12 && actual <= forecast.high + 1e-12,
    });
  });
  const trainMean = calibration.trainingRuns.reduce((a, r) => a + r.finalLinearProbeAccuracy, 0) / Math.max(1, calibration.trainingRuns.length);
  const mae = (values: number[]) => (values.length === 0 ? Number.NaN : values.reduce((a, b) => a + Math.abs(b), 0) / values.length);
  return {
    atProgress,
    level,
    rows,
    maePp: mae(rows.map((r) => r.errorPp)),
    coverage: rows.length === 0 ? Number.NaN : rows.filter((r) => r.covered).length / rows.length,
    baselineMaePp: mae(rows.map((r) => 100 * (trainMean - r.actual))),
    missing,
  };
}
