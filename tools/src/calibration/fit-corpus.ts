/**
 * The calibration pipeline: read finished run directories, turn them into CalibrationRuns, split off a
 * stratified held-out set by run, fit the monitor's forecast with `fitCalibration` on the rest (with
 * provenance: grid, run ids, date), and evaluate the forecast at half of training on the held-out runs.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fitCalibration, loadCalibration, type Calibration, type CalibrationRun } from '@siamwatch/monitor';
import { calibrationRunOf, trajectorySource, type TrajectorySource } from './calibration-run-of.ts';
import { evaluateForecasts, type ForecastEvaluation } from './forecast-evaluation.ts';
import { holdoutSplit, type HoldoutSplit } from './holdout-split.ts';
import { readRuns, type RunRecord } from './run-directory.ts';
import { sourceAgreement, type SourceAgreement } from './source-agreement.ts';

/** Options of {@link fitCorpus}. */
export interface FitCorpusOptions {
  /** Share of the runs (per group) held out from the fit. Default 0.25. */
  holdoutFraction?: number;
  /** Seed of the split. Default 0. */
  seed?: number;
  /** ISO date written into the calibration. Default now. */
  createdAt?: string;
  /** Interval level evaluated. Default 0.9. */
  level?: number;
}

/** Everything the calibration command produces. */
export interface FitCorpusResult {
  runs: RunRecord[];
  /** Runs that could not be used (no trajectory, no final accuracy), with the reason. */
  skipped: { id: string; reason: string }[];
  split: HoldoutSplit;
  calibration: Calibration;
  evaluation: ForecastEvaluation;
  /** The grids (from manifest.json) the runs came from. */
  grids: string[];
  /** How many usable runs took their trajectory from live monitor checks vs evaluation records. */
  sources: Record<TrajectorySource, number>;
  /** Agreement of monitor checks and evaluations where a run has both. */
  agreement: SourceAgreement;
}

function gridsOf(roots: readonly string[]): string[] {
  const grids: string[] = [];
  for (const root of roots) {
    const file = join(root, 'manifest.json');
    if (existsSync(file)) grids.push((JSON.parse(readFileSync(file, 'utf8')) as { grid: string; quick?: boolean }).grid);
  }
  return grids;
}

/** Runs the pipeline on the run directories under `roots`. Throws when too few runs remain to fit. */
export function fitCorpus(roots: readonly string[], options: FitCorpusOptions = {}): FitCorpusResult {
  const runs = readRuns(roots);
  const usable: { record: RunRecord; run: CalibrationRun }[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const record of runs) {
    try {
      usable.push({ record, run: calibrationRunOf(record) });
    } catch (error) {
      skipped.push({ id: record.id, reason: (error as Error).message });
    }
  }
  const split = holdoutSplit(usable.map((u) => ({ id: u.record.id, group: u.record.group })), options.holdoutFraction ?? 0.25, options.seed ?? 0);
  const train = usable.filter((u) => split.train.includes(u.record.id)).map((u) => u.run);
  const heldOut = usable.filter((u) => split.heldOut.includes(u.record.id)).map((u) => u.run);
  const grids = gridsOf(roots);
  const createdAt = options.createdAt ?? new Date().toISOString();
  const calibration = loadCalibration(
    fitCalibration(train, {
      provenance: 'trainer-runs',
      createdAt,
      description:
        `Fitted by tools/src/calibration from ${train.length} siamwatch train runs (grids: ${grids.join(', ') || 'unknown'}; ` +
        `${heldOut.length} runs held out for evaluation, split seed ${options.seed ?? 0}, fraction ${options.holdoutFraction ?? 0.25}) on ${createdAt.slice(0, 10)}. ` +
        `Trajectories are live monitor checks where they reach every anchor, else the trainer's evaluation records (probe-set spectra). ` +
        `Held-out runs: ${split.heldOut.join(', ')}.`,
    }),
  );
  const evaluation = evaluateForecasts(calibration, heldOut, { atProgress: 0.5, level: options.level ?? 0.9 });
  const sources: Record<TrajectorySource, number> = { monitor: 0, evaluations: 0 };
  for (const u of usable) sources[trajectorySource(u.record)] += 1;
  return { runs, skipped, split, calibration, evaluation, grids, sources, agreement: sourceAgreement(runs) };
}
