import type { Calibration } from './calibration.ts';
import { checkRecordFromMetricsLine, type CheckRecord } from './calibration-run-from-metrics.ts';
import { createDecisionPolicy, type Decision, type Regime } from './decision-policy.ts';
import { defaultCalibration } from './load-calibration.ts';
import { createEmbeddingSampler } from './embedding-sampler.ts';
import { expectedTrajectoryValue } from './expected-trajectory.ts';
import { calibrationCoversMethod, forecastAccuracy, type Forecast } from './forecast.ts';
import type { RunContext, TrajectoryPoint } from './forecast-features.ts';
import { resolveMonitorScalars, type MonitorOptions } from './monitor-options.ts';
import { MonitorError, describeValue } from './monitor-error.ts';
import { createOnsetDetector, type OnsetResult, type OnsetState } from './onset-detector.ts';
import type { EmbeddingBatch, OutputMetrics } from './output-metrics.ts';
import { resolveSamplingOptions } from './sampling-options.ts';
import { lossFloorOf, lossScaleOf, resolveMethod } from './ssl-method.ts';

/** What the trainer hands the monitor at every step (embeddings are optional and only sampled). */
export interface Observation {
  step: number;
  loss: number;
  backbone?: EmbeddingBatch;
  projector?: EmbeddingBatch;
}

/** What the trainer knows at a check. */
export interface CheckContext extends RunContext {
  step: number;
  totalSteps: number;
  regime: Regime;
}

/** Metrics at a check: mean loss since the last check and the spectrum metrics per output. */
export interface CheckMetrics {
  loss: number;
  backbone?: OutputMetrics;
  projector?: OutputMetrics;
}

/** The result of one {@link Monitor.check}: metrics, forecast, onset state and decision, plus its cost. */
export interface MonitorCheck {
  step: number;
  totalSteps: number;
  progress: number;
  regime: Regime;
  metrics: CheckMetrics;
  forecast: Forecast;
  onset: OnsetResult;
  decision: Decision;
  /** Milliseconds spent in this check and in `observe` since the previous check. */
  timing: { checkMs: number; observeMs: number; observeCalls: number };
}

/** What the monitor concluded at a check it replayed from records (see `Monitor.restore`). */
export interface ReplayedCheck {
  step: number;
  progress: number;
  forecast: Forecast;
  onset: OnsetResult;
  decision: Decision;
}

/** The live collapse monitor; see {@link createMonitor}. */
export interface Monitor {
  /** Samples a training batch's embeddings and records its loss (cheap: O(sampled rows x d)). */
  observe(observation: Observation): void;
  /**
   * True when a check is due at `step`: every `checkEvery` steps (step > 0), unless
   * the previous check cost more than `maxOverhead` of the wall time since it ended.
   */
  due(step: number): boolean;
  /** Recomputes metrics from the samples, forecasts, updates the onset state and decides. */
  check(context: CheckContext): MonitorCheck;
  /**
   * A check on metrics computed elsewhere, e.g. from moment sketches merged over data-parallel ranks
   * (`siamwatch serve`), instead of the sampled rows: forecast, onset update and decision as in `check`.
   * `metrics.loss` may be NaN when unknown. Losses and rows observed since the previous check are discarded.
   */
  checkWith(context: CheckContext, metrics: CheckMetrics): MonitorCheck;
  /** Current onset state. */
  readonly state: OnsetState;
  /** All checks so far, oldest first. */
  readonly checks: readonly MonitorCheck[];
  /** The calibration in use. */
  readonly calibration: Calibration;
  /** The forecast, onset result and decision of every check replayed by `restore`, oldest first. */
  readonly replayed: readonly ReplayedCheck[];
  /** Problems known at creation, e.g. a calibration that holds no run of the run's method (its interval is widened). */
  readonly warnings: readonly string[];
  /**
   * Rebuilds the onset and decision state after a training restart by replaying the
   * check records of `metrics.jsonl` (as written by {@link metricsRecord}; other records
   * are ignored). Must precede the first check; returns the number of checks replayed.
   * Replayed checks feed the forecast trends and baselines but are not in `checks`.
   */
  restore(lines: readonly object[], context?: RunContext): number;
}

/**
 * The `metrics.jsonl` record of a check, in the shape `calibrationRunFromMetricsLines`
 * reads back: `{ step, totalSteps, regime, loss, backbone?, projector?, forecast, onsetState, decision }`.
 */
export function metricsRecord(check: MonitorCheck): TrajectoryPoint & Record<string, unknown> {
  return {
    step: check.step,
    totalSteps: check.totalSteps,
    regime: check.regime,
    loss: check.metrics.loss,
    ...(check.metrics.backbone ? { backbone: check.metrics.backbone } : {}),
    ...(check.metrics.projector ? { projector: check.metrics.projector } : {}),
    forecast: check.forecast,
    onsetState: check.onset.state,
    decision: check.decision.decision,
  };
}

/**
 * Creates the live collapse monitor (Li, Efros & Pathak, ECCV 2022). Attach it to the
 * training step hook: `observe()` every step, and when `due(step)`, `check()`. Each
 * check computes AUC, RankMe, stable rank, alpha and normalised std per output
 * (n x d samples, d of 32-512: milliseconds), forecasts the final linear-probe
 * accuracy with a conformal interval, runs the onset detector and the decision
 * policy. Pure TypeScript, returns plain data; defaults are in `MonitorOptions`.
 */
export function createMonitor(options: MonitorOptions = {}): Monitor {
  const { checkEvery, maxOverhead, forecastLevel, policy } = resolveMonitorScalars(options);
  const sampling = resolveSamplingOptions(options.sampling);
  const calibration = options.calibration ?? defaultCalibration();
  const samplers = { backbone: createEmbeddingSampler('backbone', sampling), projector: createEmbeddingSampler('projector', sampling) };
  const method = resolveMethod(options.context?.method);
  const onset = createOnsetDetector({ lossFloor: lossFloorOf(method), lossScale: lossScaleOf(method), ...options.onset });
  const warnings = calibrationCoversMethod(calibration, method)
    ? []
    : [
        `the calibration (${calibration.provenance}) holds no ${method} run (methods: ${calibration.methods.join(', ')}): ` +
          `forecast intervals are widened ${calibration.uncoveredMethodWidening}x`,
      ];
  const decisions = createDecisionPolicy({ ...options.decision, policy });
  const useExpected = options.expectedTrajectory ?? calibration.provenance !== 'synthetic-placeholder';
  const checks: MonitorCheck[] = [];
  const replayed: ReplayedCheck[] = [];
  const history: TrajectoryPoint[] = [];
  let lossSum = 0;
  let lossCount = 0;
  let lastLoss = Number.NaN;
  let observeMs = 0;
  let observeCalls = 0;
  let lastCheckMs = 0;
  let lastCheckEnd = Number.NaN;

  const contextOf = (c: RunContext): RunContext => ({
    modelParams: c.modelParams ?? options.context?.modelParams,
    dataSize: c.dataSize ?? options.context?.dataSize,
    method: c.method ?? method,
  });

  /** Forecast, onset update and decision for one check point (shared by check and restore). */
  const evaluate = (point: TrajectoryPoint, regime: Regime, runContext: RunContext) => {
    history.push(point);
    const { step, loss, backbone, projector } = point;
    const progress = Math.min(1, step / point.totalSteps);
    const forecast = forecastAccuracy(calibration, history, runContext, forecastLevel);
    const expectedLogRankme = useExpected && expectedTrajectoryValue(calibration, 'backbone.logRankme', progress, runContext);
    const onsetResult = onset.update({ step, loss, backbone, projector, ...(expectedLogRankme ? { expectedLogRankme } : {}) });
    const rankme = backbone?.rankme ?? projector?.rankme ?? Number.NaN;
    const decision = decisions.decide({ step, progress, regime, onset: onsetResult, forecast, rankme });
    return { progress, forecast, onsetResult, decision };
  };

  const validateContext = ({ step, totalSteps }: CheckContext): void => {
    if (!Number.isFinite(step) || step < 0 || !(totalSteps > 0) || !Number.isFinite(totalSteps)) {
      throw new MonitorError('invalid-option', `check needs step >= 0 and totalSteps > 0, got step=${describeValue(step)} totalSteps=${describeValue(totalSteps)}`);
    }
  };

  /** Shared tail of `check` and `checkWith`: forecast, onset, decision, timing, bookkeeping. */
  const finishCheck = (context: CheckContext, metrics: CheckMetrics, started: number): MonitorCheck => {
    const { step, totalSteps, regime } = context;
    lastLoss = metrics.loss;
    lossSum = 0;
    lossCount = 0;
    const { loss, backbone, projector } = metrics;
    const point: TrajectoryPoint = { step, totalSteps, loss, ...(backbone ? { backbone } : {}), ...(projector ? { projector } : {}) };
    const { progress, forecast, onsetResult, decision } = evaluate(point, regime, contextOf(context));
    const check: MonitorCheck = {
      step, totalSteps, progress, regime, metrics, forecast, onset: onsetResult, decision,
      timing: { checkMs: performance.now() - started, observeMs, observeCalls },
    };
    observeMs = 0;
    observeCalls = 0;
    lastCheckMs = check.timing.checkMs;
    lastCheckEnd = performance.now();
    checks.push(check);
    return check;
  };

  return {
    get state() {
      return onset.state;
    },
    get checks() {
      return checks;
    },
    calibration,
    warnings,
    replayed,
    observe(observation: Observation): void {
      const started = performance.now();
      if (!Number.isFinite(observation.loss)) {
        throw new MonitorError('invalid-observation', `loss at step ${observation.step} must be finite, got ${describeValue(observation.loss)}`);
      }
      lossSum += observation.loss;
      lossCount += 1;
      if (observation.backbone) samplers.backbone.add(observation.backbone);
      if (observation.projector) samplers.projector.add(observation.projector);
      observeMs += performance.now() - started;
      observeCalls += 1;
    },
    due(step: number): boolean {
      if (!Number.isInteger(step) || step <= 0 || step % checkEvery !== 0) return false;
      if (maxOverhead >= 1 || Number.isNaN(lastCheckEnd)) return true;
      return lastCheckMs <= maxOverhead * (performance.now() - lastCheckEnd);
    },
    check(context: CheckContext): MonitorCheck {
      const started = performance.now();
      validateContext(context);
      const loss = lossCount > 0 ? lossSum / lossCount : lastLoss;
      const backbone = samplers.backbone.summarize();
      const projector = samplers.projector.summarize();
      return finishCheck(context, { loss, ...(backbone ? { backbone } : {}), ...(projector ? { projector } : {}) }, started);
    },
    checkWith(context: CheckContext, metrics: CheckMetrics): MonitorCheck {
      const started = performance.now();
      validateContext(context);
      if (typeof metrics.loss !== 'number' || metrics.loss === Infinity || metrics.loss === -Infinity) {
        throw new MonitorError('invalid-observation', `loss at step ${context.step} must be finite or NaN (unknown), got ${describeValue(metrics.loss)}`);
      }
      samplers.backbone.summarize();
      samplers.projector.summarize();
      return finishCheck(context, metrics, started);
    },
    restore(lines: readonly object[], context: RunContext = {}): number {
      if (history.length > 0) {
        throw new MonitorError('invalid-option', `restore must come before the first check, but ${history.length} checks exist`);
      }
      const records = lines
        .map((line, i) => checkRecordFromMetricsLine(line, `metrics line ${i + 1}`))
        .filter((r): r is CheckRecord => r !== undefined)
        .sort((a, b) => a.step - b.step);
      let regime: Regime = 'iid';
      for (const { regime: recorded, ...point } of records) {
        regime = recorded ?? regime;
        const { progress, forecast, onsetResult, decision } = evaluate(point, regime, contextOf(context));
        replayed.push({ step: point.step, progress, forecast, onset: onsetResult, decision });
        lastLoss = point.loss;
      }
      return records.length;
    },
  };
}
