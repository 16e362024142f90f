import type { CalibrationRun } from './calibration.ts';
import type { Regime } from './decision-policy.ts';
import type { OutputSummary, TrajectoryPoint } from './forecast-features.ts';
import { MonitorError, describeValue } from './monitor-error.ts';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalFinite(record: Json, key: string, where: string): number | undefined {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MonitorError('invalid-run', `${where}: ${key} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

function outputSummary(value: unknown, where: string): OutputSummary | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new MonitorError('invalid-run', `${where} must be an object, got ${describeValue(value)}`);
  const auc = optionalFinite(value, 'auc', where);
  const rankme = optionalFinite(value, 'rankme', where);
  if (auc === undefined || rankme === undefined) {
    throw new MonitorError('invalid-run', `${where} needs numeric auc and rankme, got ${describeValue(value)}`);
  }
  const summary: OutputSummary = { auc, rankme };
  for (const key of ['alpha', 'stableRank', 'normalizedStd', 'dim'] as const) {
    const v = optionalFinite(value, key, where);
    if (v !== undefined) summary[key] = v;
  }
  return summary;
}

const REGIMES: readonly Regime[] = ['iid', 'multi-epoch', 'continual'];

/** A check read back from `metrics.jsonl`: a trajectory point plus the regime, when recorded. */
export interface CheckRecord extends TrajectoryPoint {
  regime?: Regime;
}

/**
 * Reads one parsed `metrics.jsonl` record as a check, or undefined when it is not one
 * (no `step`, or neither `backbone` nor `projector`). A check needs `step` and
 * `totalSteps > 0`; a missing or null `loss` reads as NaN (unknown). `where` names the
 * record in error messages (`MonitorError('invalid-run')`).
 */
export function checkRecordFromMetricsLine(line: object, where: string): CheckRecord | undefined {
  if (!isObject(line)) throw new MonitorError('invalid-run', `${where} must be an object, got ${describeValue(line)}`);
  const hasOutput = line.backbone !== undefined || line.projector !== undefined;
  if (!hasOutput || line.step === undefined) return undefined;
  const step = optionalFinite(line, 'step', where);
  const totalSteps = optionalFinite(line, 'totalSteps', where);
  const loss = optionalFinite(line, 'loss', where) ?? Number.NaN;
  if (step === undefined || totalSteps === undefined || totalSteps <= 0) {
    throw new MonitorError(
      'invalid-run',
      `${where}: a check needs step and totalSteps > 0, got step=${describeValue(step)} totalSteps=${describeValue(totalSteps)}`,
    );
  }
  const point: CheckRecord = { step, totalSteps, loss };
  const backbone = outputSummary(line.backbone, `${where}.backbone`);
  const projector = outputSummary(line.projector, `${where}.projector`);
  if (backbone) point.backbone = backbone;
  if (projector) point.projector = projector;
  if (line.regime !== undefined) {
    if (!REGIMES.includes(line.regime as Regime)) {
      throw new MonitorError('invalid-run', `${where}: regime must be one of ${REGIMES.join(', ')}, got ${describeValue(line.regime)}`);
    }
    point.regime = line.regime as Regime;
  }
  return point;
}

/**
 * Builds a {@link CalibrationRun} from the parsed lines of a run's `metrics.jsonl`.
 * Check records (see {@link checkRecordFromMetricsLine}) have numeric `step`, `totalSteps` and `loss` plus a
 * `backbone` and/or `projector` object holding at least `auc` and `rankme` (also
 * read: `alpha`, `stableRank`, `normalizedStd`, `dim`). The final accuracy is the
 * last record with `linearProbeAccuracy` (a fraction in [0, 1]). `runId`/`id`,
 * `modelParams`, `dataSize` and `label` (`healthy` | `collapsed`) are taken from any
 * record that has them. Other records are ignored; checks are sorted by step.
 * Throws `MonitorError('invalid-run')` naming the line and value when a record is
 * malformed, no check exists, or no final accuracy exists.
 */
export function calibrationRunFromMetricsLines(lines: readonly object[]): CalibrationRun {
  const checks: TrajectoryPoint[] = [];
  let accuracy: number | undefined;
  const run: Omit<CalibrationRun, 'checks' | 'finalLinearProbeAccuracy'> = {};
  lines.forEach((line, i) => {
    const where = `metrics line ${i + 1}`;
    if (!isObject(line)) throw new MonitorError('invalid-run', `${where} must be an object, got ${describeValue(line)}`);
    const acc = optionalFinite(line, 'linearProbeAccuracy', where);
    if (acc !== undefined) {
      if (acc < 0 || acc > 1) {
        throw new MonitorError('invalid-run', `${where}: linearProbeAccuracy must be a fraction in [0, 1], got ${acc}`);
      }
      accuracy = acc;
    }
    const id = line.runId ?? line.id;
    if (typeof id === 'string') run.id = id;
    const modelParams = optionalFinite(line, 'modelParams', where);
    if (modelParams !== undefined) run.modelParams = modelParams;
    const dataSize = optionalFinite(line, 'dataSize', where);
    if (dataSize !== undefined) run.dataSize = dataSize;
    if (line.label === 'healthy' || line.label === 'collapsed') run.label = line.label;
    const point = checkRecordFromMetricsLine(line, where);
    if (point) checks.push(point);
  });
  if (checks.length === 0) throw new MonitorError('invalid-run', `metrics lines hold no check record (of ${lines.length} lines)`);
  if (accuracy === undefined) {
    throw new MonitorError('invalid-run', `metrics lines hold no linearProbeAccuracy record (of ${lines.length} lines)`);
  }
  checks.sort((a, b) => a.step - b.step);
  return { ...run, checks, finalLinearProbeAccuracy: accuracy };
}
