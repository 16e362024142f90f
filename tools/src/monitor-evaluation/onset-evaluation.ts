/**
 * The onset detector and decision policy replayed on the corpus: every run's recorded checks go through a monitor
 * whose calibration never saw the run's setting (the trainer's options: decisions at every check, the plateau
 * rule held to the end). A detection is any decision other than `continue`. Reported per method: false positives
 * on healthy runs (and on the weight-decay hard case among them), detections and delay on collapse-prone runs
 * (complete collapses, and harmful runs whose spectrum degraded), the delay counted in steps after the spectrum
 * started to degrade; harmful runs whose spectrum never degraded are counted apart (harm that is not collapse).
 */
import { createMonitor, type Calibration, type MonitorOptions } from '@siamwatch/monitor';
import type { ClassifiedRun } from './corpus-classes.ts';

/** One run's replay. */
export interface OnsetRow {
  id: string;
  method: string;
  cls: ClassifiedRun['cls'];
  /** The highest onset state reached. */
  maxState: 'healthy' | 'suspect' | 'collapsing';
  /** The first decision other than `continue`, if any. */
  decision?: { step: number; decision: string; reason: string };
  degradeStep?: number;
  /** Decision step minus degradation step (both known). */
  delaySteps?: number;
  /** Weight decay >= 5e-3: the hard case where AUC rises and accuracy holds. */
  weightDecayHardCase: boolean;
}

/** The figures of one slice (all runs, or one method). */
export interface OnsetSummary {
  slice: string;
  healthyRuns: number;
  falsePositives: number;
  hardCaseRuns: number;
  hardCaseFalsePositives: number;
  noiseControlRuns: number;
  noiseControlDecisions: number;
  /** Complete collapses, and harmful runs whose spectrum degraded (a dated degradation). */
  collapseProneRuns: number;
  detected: number;
  /** Harmful runs whose spectrum never degraded (e.g. a starved predictor that slows learning): not collapse. */
  harmfulUndegradedRuns: number;
  harmfulUndegradedDecisions: number;
  /** Collapse-prone runs with a dated spectrum degradation. */
  dated: number;
  medianDelaySteps: number;
}

const RANK = { healthy: 0, suspect: 1, collapsing: 2 } as const;

function medianOf(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Replays one run through a monitor with `calibration` (options as the trainer's, plus `extra`). */
export function replayRun(c: ClassifiedRun, calibration: Calibration, extra: Partial<MonitorOptions> = {}): OnsetRow {
  const run = c.run;
  const monitor = createMonitor({
    maxOverhead: 1,
    ...extra,
    decision: { minProgress: 1, ...extra.decision },
    calibration,
    context: { modelParams: run.modelParams, dataSize: run.dataSize, method: run.method },
  });
  monitor.restore(run.checks.map((point) => ({ ...point, regime: 'iid' })));
  let maxState: OnsetRow['maxState'] = 'healthy';
  for (const r of monitor.replayed) if (RANK[r.onset.state] > RANK[maxState]) maxState = r.onset.state;
  const first = monitor.replayed.find((r) => r.decision.decision !== 'continue');
  const wd = run.params['weight-decay'];
  return {
    id: run.id,
    method: run.method,
    cls: c.cls,
    maxState,
    ...(first ? { decision: { step: first.step, decision: first.decision.decision, reason: first.decision.reason } } : {}),
    ...(c.degradeStep !== undefined ? { degradeStep: c.degradeStep } : {}),
    ...(first && c.degradeStep !== undefined ? { delaySteps: first.step - c.degradeStep } : {}),
    weightDecayHardCase: typeof wd === 'number' && wd >= 5e-3 && c.cls === 'healthy',
  };
}

/** Summarises replayed rows (one slice). */
export function summariseOnset(rows: readonly OnsetRow[], slice: string): OnsetSummary {
  const healthy = rows.filter((r) => r.cls === 'healthy');
  const hard = healthy.filter((r) => r.weightDecayHardCase);
  const noise = rows.filter((r) => r.cls === 'noise-control');
  const prone = rows.filter((r) => r.cls === 'complete-collapse' || (r.cls === 'harmful' && r.degradeStep !== undefined));
  const undegraded = rows.filter((r) => r.cls === 'harmful' && r.degradeStep === undefined);
  const delays = prone.flatMap((r) => (r.delaySteps !== undefined ? [r.delaySteps] : []));
  return {
    slice,
    healthyRuns: healthy.length,
    falsePositives: healthy.filter((r) => r.decision).length,
    hardCaseRuns: hard.length,
    hardCaseFalsePositives: hard.filter((r) => r.decision).length,
    noiseControlRuns: noise.length,
    noiseControlDecisions: noise.filter((r) => r.decision).length,
    collapseProneRuns: prone.length,
    detected: prone.filter((r) => r.decision).length,
    harmfulUndegradedRuns: undegraded.length,
    harmfulUndegradedDecisions: undegraded.filter((r) => r.decision).length,
    dated: prone.filter((r) => r.degradeStep !== undefined).length,
    medianDelaySteps: medianOf(delays),
  };
}

/** Replays every run with the calibration that never saw its setting; summaries for all runs and per method. */
export function onsetEvaluation(runs: readonly ClassifiedRun[], calibrations: ReadonlyMap<string, Calibration>, extra: Partial<MonitorOptions> = {}): { rows: OnsetRow[]; summaries: OnsetSummary[] } {
  const rows = runs.flatMap((c) => {
    const calibration = calibrations.get(c.run.id);
    return calibration ? [replayRun(c, calibration, extra)] : [];
  });
  const methods = [...new Set(rows.map((r) => r.method))].sort();
  return { rows, summaries: [summariseOnset(rows, 'all'), ...methods.map((m) => summariseOnset(rows.filter((r) => r.method === m), m))] };
}
