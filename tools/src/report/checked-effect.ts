/**
 * A measured effect with its verdict (the rule) and the shapes of a checked finding: shared by every
 * finding of the report.
 */
import { effectVerdict, type Effect, type EffectVerdict } from './effect-intervals.ts';

/** Verdict of a finding (the rule), or `not measured` when its runs are missing. */
export type Verdict = EffectVerdict | 'not measured';

/** One measured effect with its verdict: a finding's headline, or one part of it. */
export interface CheckedEffect extends Effect {
  name: string;
  /** What the paper expects, in words (the sign the verdict tests). */
  expected: string;
  /** The quantity the effect is measured on. */
  metric: string;
  verdict: Verdict;
}

/** A checked finding: the headline effect, optional parts, the measured table and what explains a miss. */
export interface Finding {
  id: number;
  title: string;
  paper: string;
  verdict: Verdict;
  headline: CheckedEffect;
  /** Finding 5's parts, finding 4's hybrid accuracy: each with its own verdict. */
  parts: CheckedEffect[];
  measured: string;
  header: string[];
  rows: string[][];
}

/** `+0.123 [0.045, 0.201]`: an effect and its 95% interval. */
export function formatEffect(e: Effect, digits = 3): string {
  const signed = (v: number) => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${v.toFixed(digits)}` : '-');
  return `${signed(e.effect)} [${signed(e.low)}, ${signed(e.high)}]`;
}

export function checked(name: string, effect: Effect, sign: 1 | -1, expected: string, metric: string): CheckedEffect {
  const verdict: Verdict = effect.n === 0 || !Number.isFinite(effect.effect) ? 'not measured' : effectVerdict(effect, sign);
  return { ...effect, name, expected, metric, verdict };
}

/** The collapse measure of findings 1, 4 and 5. */
export const TRAIN_AUC = 'backbone AUC on training images (authors\u2019 spectrum)';
/** The collapse measure where feature widths differ (findings 2 and 3). */
export const RESCALED = 'width-rescaled backbone AUC on training images, (AUC - (d+1)/(2d)) / (1 - (d+1)/(2d))';

