import { metricsRecord, type DecisionKind, type MonitorCheck, type Regime } from '@siamwatch/monitor';
import type { DecisionRecord } from '@siamwatch/telemetry';

/** `type` of the `metrics.jsonl` lines the collapse monitor writes. */
export const MONITOR_RECORD_TYPE = 'monitor';

/** A monitor decision as kept in `summary.json` (`applied`: acted on by the trainer, `--monitor act`). */
export interface SummaryDecision {
  step: number;
  decision: DecisionKind;
  reason: string;
  applied: boolean;
}

/** A forecast of the final linear-probe accuracy (ratios 0-1) at a check. */
export interface SummaryForecast {
  step: number;
  point: number;
  low: number;
  high: number;
}

/**
 * The monitor regime of a trainer regime: `continual`, `cumulative`, `last` and `hybrid`'s stream
 * phase are streams (`continual`); `iid` is `multi-epoch` when the budget spans more than one epoch.
 */
export function monitorRegimeOf(trainerRegime: string, totalSteps: number, stepsPerEpoch: number): Regime {
  if (trainerRegime === 'iid') return totalSteps > stepsPerEpoch ? 'multi-epoch' : 'iid';
  return 'continual';
}

/**
 * The `metrics.jsonl` line of a check: `type: 'monitor'`, the monitor's own record
 * (`metricsRecord`: step, totalSteps, regime, loss, backbone/projector metrics, forecast
 * {point, low, high, level}, onsetState, decision) plus the decision's `reason`, the `action` taken
 * (`none` with `--monitor observe`) and the onset evidence signals.
 */
export function monitorLine(check: MonitorCheck): Record<string, unknown> & { step: number } {
  return {
    type: MONITOR_RECORD_TYPE,
    ...metricsRecord(check),
    reason: check.decision.reason,
    action: check.decision.action,
    evidence: check.onset.evidence.map((e) => `${e.output}:${e.signal}:${e.level}`),
  };
}

/**
 * Low-cardinality reason class of a decision for `siamwatch_monitor_decisions_total{reason_class}`:
 * `complete_collapse` (severe), `harmful_partial_collapse` (the forecast fell below its own best while the
 * onset was suspected), `collapse_onset` (collapsing), `representation_stable` (switch back to iid) or `forecast_plateau`.
 */
export function reasonClassOf(check: MonitorCheck): string {
  if (check.onset.severe && check.decision.decision === 'early-stop') return 'complete_collapse';
  if (check.decision.evidence.some((e) => e.name === 'forecastDrop')) return 'harmful_partial_collapse';
  if (check.onset.state === 'collapsing') return 'collapse_onset';
  if (check.decision.decision === 'switch-to-iid') return 'representation_stable';
  return 'forecast_plateau';
}

/** The telemetry decision of a non-`continue` check, or undefined for `continue`. */
export function telemetryDecisionOf(check: MonitorCheck): DecisionRecord | undefined {
  const { decision, reason } = check.decision;
  if (decision === 'continue') return undefined;
  const base = { step: check.step, reasonClass: reasonClassOf(check), reason };
  if (decision === 'early-stop') return { ...base, decision: 'early_stop' };
  return { ...base, decision: 'switch_regime', regime: decision === 'switch-to-iid' ? 'iid' : 'continual' };
}

/** Forecast and decision of a check line read back from `metrics.jsonl` (for resume), or undefined. */
export function parseMonitorLine(line: Record<string, unknown>): { forecast: SummaryForecast; decision: SummaryDecision } | undefined {
  if (line['type'] !== MONITOR_RECORD_TYPE || typeof line['step'] !== 'number') return undefined;
  const f = line['forecast'] as Partial<SummaryForecast> | undefined;
  const step = line['step'];
  return {
    forecast: { step, point: Number(f?.point), low: Number(f?.low), high: Number(f?.high) },
    decision: {
      step,
      decision: line['decision'] as DecisionKind,
      reason: String(line['reason'] ?? ''),
      applied: line['action'] !== undefined && line['action'] !== 'none',
    },
  };
}

/** The forecast of the check nearest half of training (ties: the earlier), or undefined with no checks. */
export function forecastAtHalf(forecasts: readonly SummaryForecast[], totalSteps: number): SummaryForecast | undefined {
  let best: SummaryForecast | undefined;
  for (const f of forecasts) {
    if (!best || Math.abs(f.step - totalSteps / 2) < Math.abs(best.step - totalSteps / 2)) best = f;
  }
  return best;
}
