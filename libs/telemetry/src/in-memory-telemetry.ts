import { AsyncLocalStorage } from 'node:async_hooks';
import { DEFAULT_REGIMES } from './metric-names.ts';
import { LiveHistory, type LiveSnapshot } from './live-history.ts';
import { checkCheckpoint, checkCollapse, checkDecision, checkEvaluation, checkForecast, checkLabelValue } from './record-validation.ts';
import type {
  CheckpointRecord,
  CollapseRecord,
  DecisionRecord,
  EvaluationRecord,
  ForecastRecord,
  SpanAttributes,
  StepRecord,
  Telemetry,
} from './telemetry-types.ts';

/** One recorded call of an {@link InMemoryTelemetry}, in call order. */
export type TelemetryCall =
  | { method: 'recordStep'; record: StepRecord }
  | { method: 'recordCollapse'; record: CollapseRecord }
  | { method: 'recordEvaluation'; record: EvaluationRecord }
  | { method: 'recordForecast'; record: ForecastRecord }
  | { method: 'recordCheckpoint'; record: CheckpointRecord }
  | { method: 'setRegime'; regime: string; step: number; reason: string | undefined }
  | { method: 'recordDecision'; record: DecisionRecord }
  | { method: 'span'; name: string; attributes: SpanAttributes; status: 'ok' | 'error'; parent: string | undefined }
  | { method: 'flush' }
  | { method: 'shutdown' };

/** Name of a {@link TelemetryCall}. */
export type TelemetryMethod = TelemetryCall['method'];

/** A {@link Telemetry} for tests of the trainer: keeps every call and a live history. */
export interface InMemoryTelemetry extends Telemetry {
  /** Every call so far, in order (spans are appended when they end). */
  readonly calls: readonly TelemetryCall[];
  /** The calls of one method, typed. */
  callsOf<M extends TelemetryMethod>(method: M): Extract<TelemetryCall, { method: M }>[];
  /** What `/api/live` would serve. */
  snapshot(): LiveSnapshot;
}

/**
 * An in-memory {@link Telemetry}: validates records exactly like the real one (so misuse fails in tests),
 * records every call with a copy of its arguments, nests spans, and keeps a {@link LiveHistory}.
 */
export function createInMemoryTelemetry(runId = 'test-run', historyPoints = 2048): InMemoryTelemetry {
  const calls: TelemetryCall[] = [];
  const history = new LiveHistory(runId, historyPoints, DEFAULT_REGIMES);
  const currentSpan = new AsyncLocalStorage<string>();
  const setRegime = (regime: string, step: number, reason?: string): void => {
    checkLabelValue('regime', regime);
    calls.push({ method: 'setRegime', regime, step, reason });
    history.regime(regime, step, reason ?? 'set', Date.now());
  };
  return {
    runId,
    url: undefined,
    calls,
    callsOf<M extends TelemetryMethod>(method: M) {
      return calls.filter((c): c is Extract<TelemetryCall, { method: M }> => c.method === method);
    },
    snapshot: () => history.snapshot(),
    recordStep(record) {
      calls.push({ method: 'recordStep', record: { ...record } });
      history.step(record, Date.now());
    },
    recordCollapse(record) {
      checkCollapse(record);
      const copy = { ...record, ...(record.singularValues ? { singularValues: Array.from(record.singularValues) } : {}) };
      calls.push({ method: 'recordCollapse', record: copy });
      history.collapseMetrics(record, Date.now());
    },
    recordEvaluation(record) {
      checkEvaluation(record);
      calls.push({ method: 'recordEvaluation', record: { ...record } });
      history.evaluation(record, Date.now());
    },
    recordForecast(record) {
      checkForecast(record);
      calls.push({ method: 'recordForecast', record: { ...record } });
      history.forecastAccuracy(record, Date.now());
    },
    recordCheckpoint(record) {
      checkCheckpoint(record);
      calls.push({ method: 'recordCheckpoint', record: { ...record } });
    },
    setRegime,
    recordDecision(record) {
      checkDecision(record);
      calls.push({ method: 'recordDecision', record: { ...record } });
      history.decision(record, Date.now());
      if (record.decision === 'switch_regime' && record.regime !== undefined) setRegime(record.regime, record.step, record.reason);
    },
    async span(name, attributes, fn) {
      const parent = currentSpan.getStore();
      try {
        const result = await currentSpan.run(name, fn);
        calls.push({ method: 'span', name, attributes: { ...attributes }, status: 'ok', parent });
        return result;
      } catch (err) {
        calls.push({ method: 'span', name, attributes: { ...attributes }, status: 'error', parent });
        throw err;
      }
    },
    async flush() {
      calls.push({ method: 'flush' });
    },
    async shutdown() {
      calls.push({ method: 'shutdown' });
    },
  };
}
