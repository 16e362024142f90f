import { DECISIONS, OUTPUTS, type DecisionKind, type OutputName } from './metric-names.ts';
import type { CheckpointRecord, CollapseRecord, DecisionRecord, EvaluationRecord, ForecastRecord } from './telemetry-types.ts';

/** Invalid telemetry options (run id, port, OTLP endpoint...): the message names the bad value. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
}

/** Invalid record passed to a telemetry hook (unknown output, accuracy outside [0, 1]...). */
export class TelemetryInputError extends Error {
  override readonly name = 'TelemetryInputError';
}

const LABEL_VALUE = /^[a-z][a-z0-9_]*$/;

/** Label values with a bounded vocabulary (reason classes, regimes): lower snake case. */
export function checkLabelValue(what: string, value: string): void {
  if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
    throw new TelemetryInputError(`${what} must match ${LABEL_VALUE.source}, got ${JSON.stringify(value)}`);
  }
}

function checkRatio(what: string, value: number | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new TelemetryInputError(`${what} must be a ratio in [0, 1], got ${String(value)}`);
  }
}

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new TelemetryInputError(`step must be an integer >= 0, got ${String(step)}`);
}

/** Throws {@link TelemetryInputError} unless `output` is `backbone` or `projector`. */
export function checkOutput(output: string): asserts output is OutputName {
  if (!(OUTPUTS as readonly string[]).includes(output)) {
    throw new TelemetryInputError(`output must be one of ${OUTPUTS.join(', ')}, got ${JSON.stringify(output)}`);
  }
}

/** Validates a collapse record (output name, step, dimension). */
export function checkCollapse(r: CollapseRecord): void {
  checkStep(r.step);
  checkOutput(r.output);
  if (!Number.isInteger(r.dimensions) || r.dimensions < 1) {
    throw new TelemetryInputError(`dimensions must be a positive integer, got ${String(r.dimensions)}`);
  }
}

/** Validates an evaluation record (accuracies in [0, 1]). */
export function checkEvaluation(r: EvaluationRecord): void {
  checkStep(r.step);
  checkRatio('linearProbeAccuracy', r.linearProbeAccuracy);
  checkRatio('knnAccuracy', r.knnAccuracy);
}

/** Validates a forecast record (ratios, low <= point <= high). */
export function checkForecast(r: ForecastRecord): void {
  checkStep(r.step);
  checkRatio('forecast point', r.point);
  checkRatio('forecast low', r.low);
  checkRatio('forecast high', r.high);
  if (!(r.low <= r.point && r.point <= r.high)) {
    throw new TelemetryInputError(`forecast needs low <= point <= high, got ${r.low}, ${r.point}, ${r.high}`);
  }
}

/** Validates a checkpoint record (finite, non-negative duration and size). */
export function checkCheckpoint(r: CheckpointRecord): void {
  checkStep(r.step);
  if (!(Number.isFinite(r.durationSeconds) && r.durationSeconds >= 0)) {
    throw new TelemetryInputError(`checkpoint durationSeconds must be finite and >= 0, got ${String(r.durationSeconds)}`);
  }
  if (r.bytes !== undefined && !(Number.isInteger(r.bytes) && r.bytes >= 0)) {
    throw new TelemetryInputError(`checkpoint bytes must be an integer >= 0, got ${String(r.bytes)}`);
  }
}

/** Validates a decision record (known decision, reason class and regime as label values). */
export function checkDecision(r: DecisionRecord): void {
  checkStep(r.step);
  if (!(DECISIONS as readonly string[]).includes(r.decision)) {
    throw new TelemetryInputError(`decision must be one of ${DECISIONS.join(', ')}, got ${JSON.stringify(r.decision)}`);
  }
  checkLabelValue('reasonClass', r.reasonClass);
  if ((r.decision as DecisionKind) === 'switch_regime') {
    if (r.regime === undefined) throw new TelemetryInputError('switch_regime decision needs a regime, got undefined');
    checkLabelValue('regime', r.regime);
  }
}
