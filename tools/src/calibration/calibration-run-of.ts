/**
 * Builds the monitor's {@link CalibrationRun} (label-free trajectory + final linear-probe accuracy) from a
 * finished run directory. When the run has live monitor check records (`--monitor observe|act`, written by
 * `metricsRecord(check)`) near every calibration anchor, those are the trajectory. Otherwise the evaluation records (`--eval-every`) are
 * adapted into check records: `totalSteps` from summary.json, `loss` as the mean training loss of the 10
 * steps up to the evaluation, and `normalizedStd` rescaled by sqrt(d) to the monitor's convention (~1 healthy).
 * The accuracies measured at intermediate evaluations are dropped: only the final one is the target.
 */
import { calibrationRunFromMetricsLines, type CalibrationRun } from '@siamwatch/monitor';
import { dataSizeOf, numberField, RunDirectoryError, type RunRecord } from './run-directory.ts';

type Json = Record<string, unknown>;

const OUTPUT_FIELDS = ['auc', 'rankme', 'alpha', 'stableRank', 'normalizedStd', 'dim'] as const;

function isCheckRecord(record: Json): boolean {
  return record['type'] !== 'evaluation' && record['step'] !== undefined && record['totalSteps'] !== undefined && (record['backbone'] !== undefined || record['projector'] !== undefined);
}

/** An evaluation record's output summary in the monitor's convention (normalised std x sqrt(d)). */
export function outputSummaryOf(output: unknown): Json | undefined {
  if (output === null || typeof output !== 'object') return undefined;
  const source = output as Json;
  const summary: Json = {};
  for (const key of OUTPUT_FIELDS) if (typeof source[key] === 'number' && Number.isFinite(source[key])) summary[key] = source[key];
  if (typeof summary['normalizedStd'] === 'number' && typeof summary['dim'] === 'number') {
    summary['normalizedStd'] = (summary['normalizedStd'] as number) * Math.sqrt(summary['dim'] as number);
  }
  return summary;
}

/** Mean training loss of the `window` step records at or before `step` (NaN when there are none). */
export function recentLoss(stepRecords: readonly Json[], step: number, window = 10): number {
  const losses = stepRecords.filter((r) => (r['step'] as number) <= step && typeof r['loss'] === 'number').slice(-window).map((r) => r['loss'] as number);
  return losses.length === 0 ? Number.NaN : losses.reduce((a, b) => a + b, 0) / losses.length;
}

/** Progress anchors of the monitor's default calibration fit, and its tolerance. */
export const CALIBRATION_ANCHORS = [0.1, 0.2, 0.35, 0.5, 0.75, 1];
const ANCHOR_TOLERANCE = 0.06;

/** Whether the records have a check within the fit's tolerance of every calibration anchor. */
export function coversAnchors(records: readonly Json[]): boolean {
  const progress = records.map((r) => (r['step'] as number) / (r['totalSteps'] as number));
  return CALIBRATION_ANCHORS.every((a) => progress.some((p) => Math.abs(p - a) <= ANCHOR_TOLERANCE + 1e-9));
}

/** Where a run's trajectory comes from: live monitor checks, or adapted evaluation records. */
export type TrajectorySource = 'monitor' | 'evaluations';

/**
 * The trajectory source of a run: the live monitor's checks when they reach every calibration anchor
 * (the monitor's cost governor can thin checks, leaving early anchors without one), else the evaluations.
 */
export function trajectorySource(run: RunRecord): TrajectorySource {
  const checks = run.records.filter(isCheckRecord);
  return checks.length > 0 && coversAnchors(checks) ? 'monitor' : 'evaluations';
}

/** The run's check-like trajectory records (monitor checks, or adapted evaluations), without labels. */
export function trajectoryRecords(run: RunRecord): Json[] {
  const checks = run.records.filter(isCheckRecord);
  if (trajectorySource(run) === 'monitor') {
    return checks.map((record) => {
      const copy = { ...record };
      delete copy['linearProbeAccuracy'];
      return copy;
    });
  }
  const totalSteps = numberField(run.summary, 'steps');
  if (!(totalSteps > 0)) throw new RunDirectoryError(`run "${run.id}": summary.json has no positive steps (got ${String(run.summary['steps'])})`);
  const stepRecords = run.records.filter((r) => (r['type'] === undefined || r['type'] === 'step') && typeof r['step'] === 'number' && r['loss'] !== undefined);
  return run.records
    .filter((r) => r['type'] === 'evaluation' && typeof r['step'] === 'number')
    .map((r) => {
      const step = r['step'] as number;
      const record: Json = { step, totalSteps, loss: step > 0 ? recentLoss(stepRecords, step) : null };
      const backbone = outputSummaryOf(r['backbone']);
      const projector = outputSummaryOf(r['projector']);
      if (backbone) record['backbone'] = backbone;
      if (projector) record['projector'] = projector;
      const regime = stepRecords.filter((s) => (s['step'] as number) <= step).at(-1)?.['regime'];
      if (regime === 'iid' || regime === 'continual') record['regime'] = regime;
      return record;
    });
}

/** `collapsed` for runs trained without stop-gradient (the paper's complete collapse), else `healthy`. */
export function labelOf(run: RunRecord): 'healthy' | 'collapsed' {
  return run.config['stopGradient'] === false ? 'collapsed' : 'healthy';
}

/**
 * The {@link CalibrationRun} of a finished run: its trajectory (see the file comment), final accuracy
 * from summary.json, `modelParams` (summary `paramCount`), `dataSize` (from the config) and a label.
 * Throws `MonitorError('invalid-run')` when the run has no trajectory or no final accuracy.
 */
export function calibrationRunOf(run: RunRecord): CalibrationRun {
  const lines: object[] = trajectoryRecords(run);
  const final: Json = { runId: run.id, linearProbeAccuracy: run.summary['linearProbeAccuracy'], label: labelOf(run) };
  const params = numberField(run.summary, 'paramCount');
  if (params > 0) final['modelParams'] = params;
  const dataSize = dataSizeOf(run.config);
  if (dataSize !== undefined) final['dataSize'] = dataSize;
  lines.push(final);
  return calibrationRunFromMetricsLines(lines);
}
