import type { Forecast } from './forecast.ts';
import { requireIntegerInRange, requireNumberInRange, MonitorError, describeValue } from './monitor-error.ts';
import type { OnsetResult } from './onset-detector.ts';
import { median } from './robust-stats.ts';

/** Training regime: `iid`/`multi-epoch` (shuffled passes over a fixed set) or `continual` (the hybrid's first phase). */
export type Regime = 'iid' | 'multi-epoch' | 'continual';

/** What the monitor recommends after a check. */
export type DecisionKind = 'continue' | 'early-stop' | 'switch-to-continual' | 'switch-to-iid';

/** `observe`: decide and report, never act (action `none`); `act`: the action is the decision. */
export type Policy = 'observe' | 'act';

/** One named quantity behind a decision, with the threshold it was compared to. */
export interface DecisionEvidence {
  name: string;
  value: number;
  threshold: number;
}

/** A decision with its reason, evidence and the forecast at the time; `action` is what the trainer should do. */
export interface Decision {
  step: number;
  decision: DecisionKind;
  reason: string;
  evidence: DecisionEvidence[];
  forecast: Forecast;
  action: DecisionKind | 'none';
}

/** Options of the decision policy; see {@link DEFAULT_DECISION_OPTIONS}. */
export interface DecisionOptions {
  policy: Policy;
  /** Checks after the start (or a regime change) whose forecasts are ignored by the plateau and stability rules. */
  warmupChecks: number;
  /** Checks after a non-`continue` decision during which only `continue` (or a severe early stop) is returned. */
  cooldownChecks: number;
  /** Early stop when the forecast point has not improved by `minImprovement` for this many checks. */
  patienceChecks: number;
  minImprovement: number;
  /** No plateau early stop before this training progress. */
  minProgress: number;
  /** Checks over which RankMe and the forecast must be stable before `switch-to-iid`. */
  stableWindow: number;
  /** Max relative spread (max - min) / mean of backbone RankMe over the window. */
  rankStability: number;
  /** Max spread of the forecast point over the window. */
  forecastFlatness: number;
  /**
   * Harmful partial collapse: with the onset state `suspect` or `collapsing`, early stop once the forecast
   * (median of the last 3, after warm-up) has fallen this far below its own best so far; a collapsing spectrum
   * whose forecast has not fallen this far is not acted on. 0 turns both off (the spectrum-only rules decide).
   */
  harmDrop: number;
  /**
   * Harm shown by the forecast alone: early stop once it has fallen this far below its own best, whatever the
   * onset state. Default 0 (off): on the corpus, 0.07 stopped two healthy runs (docs/monitor-evaluation.md).
   */
  harmDropAlone: number;
}

/** Defaults: observe, warm-up 4 checks, cool-down 5 checks, patience 10 checks with 0.005 minimum gain after 50% of training, a 5-check window with RankMe within 10% and forecast within 0.02 for `switch-to-iid`, harm drop 0.09, forecast-alone harm off. */
export const DEFAULT_DECISION_OPTIONS: Readonly<DecisionOptions> = Object.freeze({
  policy: 'observe',
  warmupChecks: 4,
  cooldownChecks: 5,
  patienceChecks: 10,
  minImprovement: 0.005,
  minProgress: 0.5,
  stableWindow: 5,
  rankStability: 0.1,
  forecastFlatness: 0.02,
  harmDrop: 0.09,
  harmDropAlone: 0,
});

/** Everything the policy looks at after one check. */
export interface DecisionInput {
  step: number;
  progress: number;
  regime: Regime;
  onset: OnsetResult;
  forecast: Forecast;
  /** Backbone (or projector) RankMe at this check. */
  rankme: number;
}

/** A stateful decision policy (keeps forecast and rank windows and the cool-down). */
export interface DecisionPolicy {
  decide(input: DecisionInput): Decision;
}

function resolve(partial: Partial<DecisionOptions>): DecisionOptions {
  const o = { ...DEFAULT_DECISION_OPTIONS, ...partial };
  if (o.policy !== 'observe' && o.policy !== 'act') {
    throw new MonitorError('invalid-option', `decision.policy must be "observe" or "act", got ${describeValue(o.policy)}`);
  }
  requireIntegerInRange('decision.warmupChecks', o.warmupChecks, 0, 1e6);
  requireIntegerInRange('decision.cooldownChecks', o.cooldownChecks, 0, 1e6);
  requireIntegerInRange('decision.patienceChecks', o.patienceChecks, 1, 1e6);
  requireNumberInRange('decision.minImprovement', o.minImprovement, 0, 1);
  requireNumberInRange('decision.minProgress', o.minProgress, 0, 1);
  requireIntegerInRange('decision.stableWindow', o.stableWindow, 2, 1e6);
  requireNumberInRange('decision.rankStability', o.rankStability, 0, 10);
  requireNumberInRange('decision.forecastFlatness', o.forecastFlatness, 0, 1);
  requireNumberInRange('decision.harmDrop', o.harmDrop, 0, 1);
  requireNumberInRange('decision.harmDropAlone', o.harmDropAlone, 0, 1);
  return o;
}

const REGIMES: readonly Regime[] = ['iid', 'multi-epoch', 'continual'];

/**
 * Creates the decision policy. Rules, first match wins: severe collapse -> `early-stop`
 * (switching cannot rescue a rank-one representation; ignores the cool-down);
 * harmful partial collapse (onset `suspect` or `collapsing` and the forecast fallen `harmDrop` below its own
 * best) -> `early-stop` (the run is losing accuracy: stopping keeps what it has and saves the rest); the
 * forecast alone fallen `harmDropAlone` below its best -> `early-stop` (harm the spectrum does not show, e.g. a
 * starved predictor); both ignore extrapolated forecasts (a run unlike the calibration's);
 * with `harmDrop > 0`, a collapsing spectrum whose (trusted) forecast holds -> `continue` (spectrum shape alone
 * is not harm: stronger weight decay raises the AUC while accuracy holds), unless the loss is pinned at its floor
 * (`loss-near-floor` at collapse level: the two views agree perfectly, complete collapse, which needs no
 * forecast); with `harmDrop` 0, an extrapolated forecast or the loss at its floor (spectrum-only): collapsing in `iid`/`multi-epoch` -> `switch-to-continual`; collapsing in
 * `continual` -> `early-stop`; in `continual`, healthy with RankMe and forecast stable
 * over `stableWindow` checks -> `switch-to-iid` (the hybrid's second phase); after
 * `minProgress`, no forecast gain of `minImprovement` over `patienceChecks` ->
 * `early-stop`; otherwise `continue`. The plateau and stability rules use the
 * median of the last 3 forecasts and ignore the first `warmupChecks` checks. After a non-`continue` decision, `cooldownChecks`
 * checks return `continue`. Windows restart when the regime changes.
 */
export function createDecisionPolicy(options: Partial<DecisionOptions> = {}): DecisionPolicy {
  const o = resolve(options);
  let raw: number[] = [];
  let forecasts: number[] = [];
  let ranks: number[] = [];
  let seen = 0;
  let regime: Regime | undefined;
  let cooldown = 0;

  return {
    decide(input: DecisionInput): Decision {
      if (!REGIMES.includes(input.regime)) {
        throw new MonitorError('invalid-option', `regime must be one of ${REGIMES.join(', ')}, got ${describeValue(input.regime)}`);
      }
      if (input.regime !== regime) {
        raw = [];
        forecasts = [];
        ranks = [];
        seen = 0;
        regime = input.regime;
      }
      seen += 1;
      raw.push(input.forecast.point);
      if (raw.length > 3) raw.shift();
      if (seen > o.warmupChecks) {
        forecasts.push(median(raw));
        ranks.push(input.rankme);
      }
      const make = (decision: DecisionKind, reason: string, evidence: DecisionEvidence[]): Decision => {
        if (decision !== 'continue') cooldown = o.cooldownChecks;
        return {
          step: input.step, decision, reason, evidence, forecast: input.forecast,
          action: o.policy === 'act' && decision !== 'continue' ? decision : 'none',
        };
      };
      const onsetEvidence = input.onset.evidence.map((e) => ({ name: `${e.output}.${e.signal}`, value: e.value, threshold: e.threshold }));
      const collapsing = input.onset.state === 'collapsing';
      if (collapsing && input.onset.severe) {
        return make('early-stop', 'severe collapse (normalised std ~0 or rank ~1): switching regime cannot recover it', onsetEvidence);
      }
      if (cooldown > 0) {
        cooldown -= 1;
        return make('continue', `cool-down after the last decision (${cooldown + 1} checks left)`, []);
      }
      const best = forecasts.length > 0 ? Math.max(...forecasts) : Number.NaN;
      const drop = forecasts.length > 0 ? best - forecasts[forecasts.length - 1] : 0;
      // A forecast outside the calibration's range (an extrapolation) is not evidence of harm.
      const trusted = input.forecast.extrapolated !== true;
      if (trusted && o.harmDrop > 0 && input.onset.state !== 'healthy' && drop >= o.harmDrop) {
        return make('early-stop', `harmful partial collapse: onset ${input.onset.state} and the forecast fell ${drop.toFixed(3)} below its best (${best.toFixed(3)})`, [
          ...onsetEvidence,
          { name: 'forecastDrop', value: drop, threshold: o.harmDrop },
        ]);
      }
      if (trusted && o.harmDropAlone > 0 && drop >= o.harmDropAlone) {
        return make('early-stop', `harmful training: the forecast fell ${drop.toFixed(3)} below its best (${best.toFixed(3)}) with the spectrum ${input.onset.state}`, [
          { name: 'forecastDrop', value: drop, threshold: o.harmDropAlone },
        ]);
      }
      // With a trusted forecast, a collapsing spectrum is acted on only once the forecast shows harm; when the
      // forecast is an extrapolation (a run unlike the calibration's) the spectrum-only rules below decide.
      const lossAtFloor = input.onset.evidence.some((e) => e.signal === 'loss-near-floor' && e.level === 'collapse');
      if (o.harmDrop > 0 && collapsing && trusted && !lossAtFloor) {
        return make('continue', `onset collapsing but the forecast holds (${drop.toFixed(3)} below its best < ${o.harmDrop}): no harm shown yet`, onsetEvidence);
      }
      if (collapsing && input.regime !== 'continual') {
        return make('switch-to-continual', `collapse onset in ${input.regime} training`, onsetEvidence);
      }
      if (collapsing) return make('early-stop', 'collapse onset although training is already continual', onsetEvidence);
      if (input.regime === 'continual' && input.onset.state === 'healthy' && ranks.length >= o.stableWindow) {
        const r = ranks.slice(-o.stableWindow);
        const f = forecasts.slice(-o.stableWindow);
        const rankSpread = (Math.max(...r) - Math.min(...r)) / Math.max(r.reduce((a, b) => a + b, 0) / r.length, 1e-9);
        const forecastSpread = Math.max(...f) - Math.min(...f);
        if (rankSpread <= o.rankStability && forecastSpread <= o.forecastFlatness) {
          return make('switch-to-iid', 'continual phase built a healthy, stable spectrum and the forecast is flat', [
            { name: 'rankmeRelativeSpread', value: rankSpread, threshold: o.rankStability },
            { name: 'forecastSpread', value: forecastSpread, threshold: o.forecastFlatness },
          ]);
        }
      }
      if (input.progress >= o.minProgress && forecasts.length > o.patienceChecks) {
        const before = Math.max(...forecasts.slice(0, -o.patienceChecks));
        const recent = Math.max(...forecasts.slice(-o.patienceChecks));
        if (recent - before < o.minImprovement) {
          return make('early-stop', `forecast has not improved by ${o.minImprovement} over ${o.patienceChecks} checks`, [
            { name: 'forecastGain', value: recent - before, threshold: o.minImprovement },
          ]);
        }
      }
      return make('continue', input.onset.state === 'healthy' ? 'healthy' : `onset state ${input.onset.state}: gathering evidence`, onsetEvidence);
    },
  };
}
