/**
 * What each corpus run is, for the evaluation: a complete collapse (no stop-gradient, loss pinned at its floor,
 * a rank-one backbone or a projector std ~0), a negative control (stronger input noise), a harmful partial collapse (final accuracy more than
 * `harmMargin` below the healthy reference of its dataset and method) or healthy; and the step at which its
 * spectrum started to degrade (RankMe of either output below `degradeRatio` of the healthy reference's).
 */
import { cosineGapOf, median } from '@siamwatch/monitor';
import type { CorpusRun } from './corpus-file.ts';

/** The class of a run in the evaluation. */
export type RunClass = 'complete-collapse' | 'noise-control' | 'harmful' | 'healthy';

/** Options of {@link classifyCorpus}; defaults in {@link DEFAULT_CLASS_OPTIONS}. */
export interface ClassOptions {
  /** A run more than this below its reference accuracy is harmed (fraction). */
  harmMargin: number;
  /** Chance accuracy (10 classes). */
  chance: number;
  /** Complete collapse: final `1 - cos` of the two views below this. */
  cosineGapFloor: number;
  /** Complete collapse: final backbone RankMe below this. */
  rankFloor: number;
  /** Complete collapse: final projector normalised std (x sqrt(d)) below this. */
  stdFloor: number;
  /** Degradation onset: smoothed RankMe of an output below this share of its running peak. */
  degradeRatio: number;
  /** Checks before degradation may be dated (baselines). */
  warmupChecks: number;
}

/** Defaults: harm 5 pp, chance 10%, `1 - cos` < 0.02, backbone RankMe < 1.5 or projector std < 0.05, degradation at 80% of the reference's RankMe after 4 checks. */
export const DEFAULT_CLASS_OPTIONS: Readonly<ClassOptions> = Object.freeze({
  harmMargin: 0.05,
  chance: 0.1,
  cosineGapFloor: 0.02,
  rankFloor: 1.5,
  stdFloor: 0.05,
  degradeRatio: 0.8,
  warmupChecks: 4,
});

/** A run with its class, reference accuracy and degradation step. */
export interface ClassifiedRun {
  run: CorpusRun;
  cls: RunClass;
  /** Mean final accuracy of the reference setting (weight decay 5e-4, no other knob) of its dataset and method. */
  reference: number;
  /** Between chance + 10 pp and reference - harm margin, not a complete collapse. */
  partialBand: boolean;
  /** Step at which the spectrum started to degrade, if it did. */
  degradeStep?: number;
}

/** Whether the run is a reference (healthy default) run: weight decay 5e-4 and no other collapse knob. */
export function isReferenceRun(run: CorpusRun): boolean {
  return run.params['weight-decay'] === 0.0005 && run.monitor !== 'act';
}

/**
 * Whether the run collapsed completely: SimSiam trained without stop-gradient (the anchors), or over its last 3 checks
 * the loss pinned at its floor, a rank-one backbone, or the projector's normalised std below the monitor's severe
 * threshold.
 */
export function isCompleteCollapse(run: CorpusRun, options: ClassOptions = DEFAULT_CLASS_OPTIONS): boolean {
  // SimSiam without stop-gradient is the paper's complete collapse; BYOL's target is an EMA copy that gets no
  // gradient anyway, so its no-stop-gradient run trains exactly like the default and is judged by its outcome.
  if (run.params['no-stop-gradient'] === true && run.method === 'simsiam') return true;
  const last = run.checks.slice(-3);
  const med = (f: (c: CorpusRun['checks'][number]) => number | undefined) => median(last.map((c) => f(c) ?? Number.NaN).filter(Number.isFinite));
  return (
    med((c) => cosineGapOf(c.loss, run.method)) < options.cosineGapFloor ||
    med((c) => c.backbone?.rankme) < options.rankFloor ||
    med((c) => c.projector?.normalizedStd) < options.stdFloor
  );
}

/**
 * The step at which the spectrum started to degrade: the first check (after the warm-up) where RankMe (3-check
 * median) of either output fell below `degradeRatio` of the healthy reference's mean RankMe at the same check
 * (`references`: reference runs of the same dataset, method and width, on the same check schedule).
 */
export function degradeStepOf(run: CorpusRun, references: readonly CorpusRun[], options: ClassOptions = DEFAULT_CLASS_OPTIONS): number | undefined {
  if (references.length === 0) return undefined;
  for (let i = options.warmupChecks; i < run.checks.length; i++) {
    for (const output of ['backbone', 'projector'] as const) {
      const values = run.checks.slice(Math.max(0, i - 2), i + 1).map((c) => c[output]?.rankme ?? Number.NaN).filter(Number.isFinite);
      const ref = references.map((r) => r.checks[i]?.[output]?.rankme ?? Number.NaN).filter(Number.isFinite);
      if (values.length === 0 || ref.length === 0) continue;
      if (median(values) < options.degradeRatio * (ref.reduce((a, b) => a + b, 0) / ref.length)) return run.checks[i].step;
    }
  }
  return undefined;
}

/** Classifies the runs; the reference accuracy is per dataset and method (all widths). */
export function classifyCorpus(runs: readonly CorpusRun[], options: Partial<ClassOptions> = {}): ClassifiedRun[] {
  const o = { ...DEFAULT_CLASS_OPTIONS, ...options };
  const key = (r: CorpusRun) => `${r.dataset}/${r.method}`;
  const refs = new Map<string, number[]>();
  for (const r of runs) if (isReferenceRun(r)) refs.set(key(r), [...(refs.get(key(r)) ?? []), r.finalLinearProbeAccuracy]);
  const all = runs.filter(isReferenceRun).map((r) => r.finalLinearProbeAccuracy);
  const fallback = all.length > 0 ? all.reduce((a, b) => a + b, 0) / all.length : Number.NaN;
  return runs.map((run) => {
    const list = refs.get(key(run));
    const reference = list && list.length > 0 ? list.reduce((a, b) => a + b, 0) / list.length : fallback;
    const complete = isCompleteCollapse(run, o);
    const acc = run.finalLinearProbeAccuracy;
    const cls: RunClass = complete ? 'complete-collapse' : run.params['noise'] !== undefined ? 'noise-control' : acc < reference - o.harmMargin ? 'harmful' : 'healthy';
    const sameShape = runs.filter((r) => isReferenceRun(r) && key(r) === key(run) && r.width === run.width && r.id !== run.id);
    const degradeStep = degradeStepOf(run, sameShape, o);
    return {
      run,
      cls,
      reference,
      partialBand: !complete && acc >= o.chance + 0.1 && acc < reference - o.harmMargin,
      ...(degradeStep !== undefined ? { degradeStep } : {}),
    };
  });
}
