/**
 * The decision a trainer obeys, as `GET /v1/runs/{run}/decision` returns it and `siamwatch watch` writes it to
 * `DIR/<run>/decision.json`. An `early-stop` stays the answer once given (a stopped run stays stopped); switches
 * are the latest check's decision and are also listed in `decisions` with their step, so a trainer that polls
 * less often than the monitor checks misses none.
 */
import type { DecisionKind, MonitorCheck } from '@siamwatch/monitor';

/** One non-`continue` decision of a run. */
export interface RunDecisionEvent {
  step: number;
  decision: DecisionKind;
  reason: string;
}

/** Body of `GET /v1/runs/{run}/decision` and content of `decision.json`. */
export interface RunDecision {
  run: string;
  /** What the trainer should do now: `continue`, `early-stop`, `switch-to-continual` or `switch-to-iid`. */
  decision: DecisionKind;
  reason: string;
  /** Step of the check behind `decision` (null before the first check). */
  step: number | null;
  totalSteps: number | null;
  /** Label-free forecast of the final linear-probe accuracy with its interval (null before the first check). */
  forecast: { point: number; low: number; high: number; level: number } | null;
  onsetState: string;
  /** Checks run so far. */
  checks: number;
  /** Every non-`continue` decision so far (at most the last 100), oldest first. */
  decisions: RunDecisionEvent[];
  updatedAt: string;
}

const MAX_EVENTS = 100;

/** The answer for a run with no check yet. */
export function initialDecision(run: string): RunDecision {
  return {
    run, decision: 'continue', reason: 'no check yet: post embeddings of a step', step: null, totalSteps: null,
    forecast: null, onsetState: 'healthy', checks: 0, decisions: [], updatedAt: new Date().toISOString(),
  };
}

/** The answer after `check`, given the previous answer (keeps an early stop and the decision list). */
export function nextDecision(previous: RunDecision, check: MonitorCheck, checks: number): RunDecision {
  const { decision, reason } = check.decision;
  const decisions = decision === 'continue' ? previous.decisions : [...previous.decisions, { step: check.step, decision, reason }].slice(-MAX_EVENTS);
  const stopped = previous.decision === 'early-stop' && decision !== 'early-stop';
  const f = check.forecast;
  return {
    run: previous.run,
    decision: stopped ? 'early-stop' : decision,
    reason: stopped ? previous.reason : reason,
    step: stopped ? previous.step : check.step,
    totalSteps: check.totalSteps,
    forecast: { point: f.point, low: f.low, high: f.high, level: f.level },
    onsetState: check.onset.state,
    checks,
    decisions,
    updatedAt: new Date().toISOString(),
  };
}
