import { OUTPUTS, type OutputName } from './metric-names.ts';
import type {
  CollapseRecord,
  DecisionRecord,
  EvaluationRecord,
  ForecastRecord,
  StepRecord,
} from './telemetry-types.ts';
import { ThinningSeries } from './thinning-series.ts';

/** Most singular values kept for the live spectrum chart. */
export const MAX_SPECTRUM_VALUES = 4096;
/** Most regime changes and decisions kept (oldest dropped first). */
export const MAX_EVENTS = 1000;

/** The latest spectrum of one output with its cumulative explained variance c_k (Li et al. 2022 Eq. 2). */
export interface LiveSpectrum {
  step: number;
  singularValues: number[];
  cumulativeExplainedVariance: number[];
}

/** A regime change on the timeline. */
export interface LiveRegimeChange {
  step: number;
  regime: string;
  reason: string;
  timestampMs: number;
}

/** Body of `GET /api/live`: everything the built-in live page draws. */
export interface LiveSnapshot {
  runId: string;
  updatedAtMs: number;
  steps: Record<string, number[]>;
  collapse: Record<OutputName, { series: Record<string, number[]>; dimensions: number | null }>;
  spectrum: Record<OutputName, LiveSpectrum | null>;
  accuracy: { measured: Record<string, number[]>; forecast: Record<string, number[]> };
  regimes: { current: string | null; known: string[]; timeline: LiveRegimeChange[] };
  decisions: (DecisionRecord & { timestampMs: number })[];
}

/**
 * c_k = sum_{i<=k} s_i / sum_i s_i of descending singular values (Li, Efros & Pathak, ECCV 2022, Eq. 2).
 * All zeros give a flat line at 0 (nothing to explain).
 */
export function cumulativeExplainedVariance(singularValues: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < singularValues.length; i++) total += singularValues[i];
  const out = new Array<number>(singularValues.length);
  let acc = 0;
  for (let i = 0; i < singularValues.length; i++) {
    acc += singularValues[i];
    out[i] = total > 0 ? acc / total : 0;
  }
  return out;
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_EVENTS) list.splice(0, list.length - MAX_EVENTS);
}

/**
 * Bounded in-memory history of the signals for the live page: every series is a {@link ThinningSeries}
 * of `points` rows, spectra keep only the latest, events keep the last {@link MAX_EVENTS}.
 */
export class LiveHistory {
  private readonly steps: ThinningSeries;
  private readonly collapse: Record<OutputName, ThinningSeries>;
  private readonly dims: Record<OutputName, number | null> = { backbone: null, projector: null };
  private readonly spectra: Record<OutputName, LiveSpectrum | null> = { backbone: null, projector: null };
  private readonly measured: ThinningSeries;
  private readonly forecast: ThinningSeries;
  private readonly timeline: LiveRegimeChange[] = [];
  private readonly decisionLog: (DecisionRecord & { timestampMs: number })[] = [];
  private readonly knownRegimes: Set<string>;
  private currentRegime: string | null = null;
  private updatedAtMs = 0;

  constructor(
    readonly runId: string,
    points: number,
    regimes: readonly string[],
  ) {
    this.steps = new ThinningSeries(['step', 'loss', 'learningRate', 'imagesPerSecond', 'stepSeconds'], points);
    const cols = ['step', 'auc', 'effectiveRank', 'stableRank', 'alpha', 'normalizedOutputStd'];
    this.collapse = { backbone: new ThinningSeries(cols, points), projector: new ThinningSeries(cols, points) };
    this.measured = new ThinningSeries(['step', 'linearProbe', 'knn'], points);
    this.forecast = new ThinningSeries(['step', 'point', 'low', 'high'], points);
    this.knownRegimes = new Set(regimes);
  }

  /** Hot path: one row into the step series. */
  step(r: StepRecord, nowMs: number): void {
    this.steps.push(r.step, r.loss, r.learningRate, r.imagesPerSecond, r.durationSeconds);
    this.updatedAtMs = nowMs;
  }

  collapseMetrics(r: CollapseRecord, nowMs: number): void {
    this.collapse[r.output].push(r.step, r.auc, r.effectiveRank, r.stableRank, r.alpha, r.normalizedOutputStd);
    this.dims[r.output] = r.dimensions;
    const sv = r.singularValues;
    if (sv !== undefined) {
      const n = Math.min(sv.length, MAX_SPECTRUM_VALUES);
      const s = Array.from({ length: n }, (_, i) => sv[i]);
      // c_k over the full spectrum, then truncated like the values.
      const c = cumulativeExplainedVariance(sv).slice(0, n);
      this.spectra[r.output] = { step: r.step, singularValues: s, cumulativeExplainedVariance: c };
    }
    this.updatedAtMs = nowMs;
  }

  evaluation(r: EvaluationRecord, nowMs: number): void {
    this.measured.push(r.step, r.linearProbeAccuracy ?? Number.NaN, r.knnAccuracy ?? Number.NaN);
    this.updatedAtMs = nowMs;
  }

  forecastAccuracy(r: ForecastRecord, nowMs: number): void {
    this.forecast.push(r.step, r.point, r.low, r.high);
    this.updatedAtMs = nowMs;
  }

  regime(regime: string, step: number, reason: string, nowMs: number): void {
    this.knownRegimes.add(regime);
    if (this.currentRegime === regime) return;
    this.currentRegime = regime;
    pushBounded(this.timeline, { step, regime, reason, timestampMs: nowMs });
    this.updatedAtMs = nowMs;
  }

  decision(r: DecisionRecord, nowMs: number): void {
    pushBounded(this.decisionLog, { ...r, timestampMs: nowMs });
    this.updatedAtMs = nowMs;
  }

  /** Rows held in the step series (bounded by `points`). */
  get stepRows(): number {
    return this.steps.length;
  }

  /** A JSON-ready copy of everything. */
  snapshot(): LiveSnapshot {
    const collapse = {} as LiveSnapshot['collapse'];
    for (const o of OUTPUTS) collapse[o] = { series: this.collapse[o].toColumns(), dimensions: this.dims[o] };
    return {
      runId: this.runId,
      updatedAtMs: this.updatedAtMs,
      steps: this.steps.toColumns(),
      collapse,
      spectrum: { ...this.spectra },
      accuracy: { measured: this.measured.toColumns(), forecast: this.forecast.toColumns() },
      regimes: { current: this.currentRegime, known: [...this.knownRegimes], timeline: [...this.timeline] },
      decisions: [...this.decisionLog],
    };
  }
}
