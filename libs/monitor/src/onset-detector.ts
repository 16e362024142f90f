import type { ExpectedValue } from './expected-trajectory.ts';
import type { OutputSummary } from './forecast-features.ts';
import { resolveOnsetOptions, type OnsetOptions, type SignalThresholds } from './onset-options.ts';
import { median } from './robust-stats.ts';

/** Collapse-onset state: `healthy` -> `suspect` -> `collapsing` (and back, with hysteresis). */
export type OnsetState = 'healthy' | 'suspect' | 'collapsing';

/** Kinds of onset evidence; a kind counts once even if several outputs show it. */
export type OnsetSignalKind = 'rank-drop' | 'auc-rise' | 'std-drop' | 'loss-near-floor' | 'below-expected' | 'severe';

/** One active signal: which output, its (smoothed) value, the threshold it crossed and its baseline. */
export interface OnsetEvidence {
  signal: OnsetSignalKind;
  output: 'backbone' | 'projector' | 'loss';
  level: 'suspect' | 'collapse';
  value: number;
  threshold: number;
  baseline?: number;
}

/** A state change with the evidence that caused it (empty evidence = recovery). */
export interface OnsetTransition {
  step: number;
  from: OnsetState;
  to: OnsetState;
  evidence: OnsetEvidence[];
}

/** What the detector is fed at each check. `expectedLogRankme` comes from the calibration. */
export interface OnsetInput {
  step: number;
  loss: number;
  backbone?: OutputSummary;
  projector?: OutputSummary;
  expectedLogRankme?: ExpectedValue;
}

/** The detector's verdict after one check. */
export interface OnsetResult {
  state: OnsetState;
  /** Signals active at this check (suspect or collapse level). */
  evidence: OnsetEvidence[];
  /** 0 none, 1 suspect-level, 2 collapse-level evidence at this check. */
  level: 0 | 1 | 2;
  /** A severe collapse: RankMe ~1 (either output) or projector normalised std ~0. */
  severe: boolean;
  transition?: OnsetTransition;
  /** Checks seen so far, this one included. */
  checks: number;
}

/** A stateful collapse-onset detector; feed it one {@link OnsetInput} per check. */
export interface OnsetDetector {
  update(input: OnsetInput): OnsetResult;
  readonly state: OnsetState;
  readonly transitions: readonly OnsetTransition[];
}

interface Series {
  values: number[];
  peak: number;
  trough: number;
  active: boolean;
}

type Key = `${OnsetEvidence['output']}.${string}`;

/**
 * Creates the collapse-onset detector (Li, Efros & Pathak, ECCV 2022: collapse shows
 * as a spectrum concentrating in few directions). It judges each run against its own
 * history, never against raw thresholds: RankMe falling well below its running peak,
 * AUC rising by a large share of its headroom above its running minimum, the
 * normalised-output std falling below its peak, the loss pinned near its floor
 * (-1 for SimSiam, 0 for BYOL, compared in units of `1 - cos`), and, with a calibration, log RankMe far below the expected
 * healthy trajectory. Every metric is median-smoothed; signals have hysteresis; at
 * least `minSignals` kinds must agree for `evidenceChecks` consecutive checks after
 * `warmupChecks`; de-escalation needs `recoveryChecks` quiet checks. A healthy run
 * whose AUC rises 0.65 -> 0.78 with rank staying high does not fire.
 */
export function createOnsetDetector(options: Partial<OnsetOptions> = {}): OnsetDetector {
  const o = resolveOnsetOptions(options);
  const series = new Map<Key, Series>();
  const transitions: OnsetTransition[] = [];
  let state: OnsetState = 'healthy';
  let checks = 0;
  let up1 = 0;
  let up2 = 0;
  let below1 = 0;
  let below2 = 0;

  const smooth = (key: Key, raw: number): Series => {
    let s = series.get(key);
    if (!s) {
      s = { values: [], peak: -Infinity, trough: Infinity, active: false };
      series.set(key, s);
    }
    s.values.push(raw);
    if (s.values.length > o.smoothing) s.values.shift();
    const value = median(s.values);
    s.peak = Math.max(s.peak, value);
    s.trough = Math.min(s.trough, value);
    return s;
  };

  /** Applies thresholds with hysteresis; `falls` = smaller is worse. */
  const judge = (
    s: Series, value: number, t: SignalThresholds, falls: boolean, ev: Omit<OnsetEvidence, 'level' | 'threshold' | 'value'>, out: OnsetEvidence[],
  ): void => {
    const worse = (a: number, b: number) => (falls ? a < b : a > b);
    if (worse(value, t.suspect)) s.active = true;
    else if (!worse(value, t.release)) s.active = false;
    if (!s.active) return;
    const collapse = worse(value, t.collapse);
    out.push({ ...ev, level: collapse ? 'collapse' : 'suspect', value, threshold: collapse ? t.collapse : t.suspect });
  };

  const judgeOutput = (name: 'backbone' | 'projector', m: OutputSummary | undefined, expected: ExpectedValue | undefined, out: OnsetEvidence[]): boolean => {
    if (!m) return false;
    let severe = false;
    if (Number.isFinite(m.rankme)) {
      const s = smooth(`${name}.rankme`, m.rankme);
      const value = median(s.values);
      judge(s, value / s.peak, o.rankDrop, true, { signal: 'rank-drop', output: name, baseline: s.peak }, out);
      if (value < o.severe.rankme) {
        severe = true;
        out.push({ signal: 'severe', output: name, level: 'collapse', value, threshold: o.severe.rankme });
      }
      if (name === 'backbone' && expected && value > 0) {
        const e = smooth('backbone.expected', (Math.log(value) - expected.mean) / expected.sd);
        judge(e, e.values[e.values.length - 1], o.belowExpected, true, { signal: 'below-expected', output: name, baseline: Math.exp(expected.mean) }, out);
      }
    }
    if (Number.isFinite(m.auc)) {
      const s = smooth(`${name}.auc`, m.auc);
      const headroom = Math.max(1 - s.trough, 1e-9);
      judge(s, (median(s.values) - s.trough) / headroom, o.aucRise, false, { signal: 'auc-rise', output: name, baseline: s.trough }, out);
    }
    if (m.normalizedStd !== undefined && Number.isFinite(m.normalizedStd)) {
      const s = smooth(`${name}.std`, m.normalizedStd);
      const value = median(s.values);
      judge(s, s.peak > 0 ? value / s.peak : 1, o.stdDrop, true, { signal: 'std-drop', output: name, baseline: s.peak }, out);
      // Only the projector output is centred enough for an absolute std floor; backbone
      // features (ReLU, pooled) can have a small normalised std while healthy.
      if (name === 'projector' && value < o.severe.normalizedStd) {
        severe = true;
        out.push({ signal: 'severe', output: name, level: 'collapse', value, threshold: o.severe.normalizedStd });
      }
    }
    return severe;
  };

  const move = (step: number, to: OnsetState, evidence: OnsetEvidence[]): OnsetTransition => {
    const transition = { step, from: state, to, evidence };
    transitions.push(transition);
    const rank = { healthy: 0, suspect: 1, collapsing: 2 } as const;
    // Stepping down restarts the quiet-check count: each state must be left on its own evidence.
    if (rank[to] < rank[state]) below1 = below2 = 0;
    state = to;
    return transition;
  };

  return {
    get state() {
      return state;
    },
    get transitions() {
      return transitions;
    },
    update(input: OnsetInput): OnsetResult {
      checks += 1;
      const evidence: OnsetEvidence[] = [];
      const severeBackbone = judgeOutput('backbone', input.backbone, input.expectedLogRankme, evidence);
      const severeProjector = judgeOutput('projector', input.projector, undefined, evidence);
      if (Number.isFinite(input.loss)) {
        const s = smooth('loss.value', input.loss);
        judge(s, (median(s.values) - o.lossFloor) / o.lossScale, o.lossNearFloor, true, { signal: 'loss-near-floor', output: 'loss', baseline: o.lossFloor }, evidence);
      }
      const severe = severeBackbone || severeProjector;
      const kinds = (lvl: 'suspect' | 'collapse') =>
        new Set(evidence.filter((e) => e.signal !== 'severe' && (lvl === 'suspect' || e.level === 'collapse')).map((e) => e.signal)).size;
      const level: 0 | 1 | 2 = severe || kinds('collapse') >= o.minSignals ? 2 : kinds('suspect') >= o.minSignals ? 1 : 0;
      let transition: OnsetTransition | undefined;
      if (checks > o.warmupChecks) {
        up1 = level >= 1 ? up1 + 1 : 0;
        up2 = level >= 2 ? up2 + 1 : 0;
        below1 = level < 1 ? below1 + 1 : 0;
        below2 = level < 2 ? below2 + 1 : 0;
        if (state !== 'collapsing' && up2 >= o.evidenceChecks) transition = move(input.step, 'collapsing', evidence);
        else if (state === 'healthy' && up1 >= o.evidenceChecks) transition = move(input.step, 'suspect', evidence);
        else if (state === 'collapsing' && below2 >= o.recoveryChecks) transition = move(input.step, 'suspect', evidence);
        else if (state === 'suspect' && below1 >= o.recoveryChecks) transition = move(input.step, 'healthy', evidence);
      }
      return { state, evidence, level, severe, checks, ...(transition ? { transition } : {}) };
    },
  };
}
