/**
 * The study of the report, third edition: the findings of Li, Efros & Pathak (ECCV 2022) with the authors'
 * protocol (alexlioralexli/noncontrastive-ssl), scaled to a 2-core CPU with the native TensorFlow backend
 * (two training processes at once, one TensorFlow thread each: `TF_NUM_INTRAOP_THREADS=1`, `--jobs 2`).
 *
 * - Compute is fixed per "epoch of the full set": every run trains `STUDY_STEPS` steps of `STUDY_BATCH`
 *   (19.2 epochs of a `STUDY_FULL_SET`-image Fashion-MNIST full set at 14x14), whatever part of it it uses.
 * - Finding 1 uses the authors' `last` strategy (`regime.lastFraction` of the full set, trained for the
 *   whole budget): the 1% subset (100 images) is seen 1,920 times, the full set 19 times.
 * - Finding 4: `continual` with one chunk per epoch of the budget (each chunk repeated for an epoch's worth
 *   of steps); the authors' `hybrid`: that continual pass, then i.i.d. on all data for as many steps again,
 *   compared with i.i.d. training at the same doubled compute.
 * - Finding 5: each architecture part on its own against the shared baseline (the finding-1 run on 100%).
 * - Finding 2: CNN widths 0.25, 0.5 and 2 against the baseline's width 1 (16- to 128-d features).
 *
 * The second edition (600 steps, width 0.25) showed that a 16-d CNN's spectrum barely moves from its
 * initial state; the third trains 5x longer a CNN with 64-d features. Runs of one seed share their random
 * backbone across settings, so findings 1, 4 and 5 compare settings within a seed (paired).
 *
 * Order matters: the grid runs in this order (findings 1 and 5 first), so a partial grid at a deadline still
 * holds the priority findings. `--quick` (CI) shrinks every run (see `quickRun`).
 */
import { expandAxes, type FlagValue, type GridSpec, type RunSpec } from './grid-spec.ts';

/** Images of the full set (the `last` strategy's "epoch" is this set / batch). */
export const STUDY_FULL_SET = 10000;
/** Batch size of every study run. */
export const STUDY_BATCH = 64;
/** Steps of a run: 3,000 x 64 = 192,000 views, 19.2 epochs of the full set, 1,920 passes over 1%. */
export const STUDY_STEPS = 3000;
/** Epochs of the full set in the budget, rounded: the continual stream's chunk count (one new chunk per epoch). */
export const STUDY_CHUNKS = Math.round((STUDY_STEPS * STUDY_BATCH) / STUDY_FULL_SET);
/** Subset fractions of finding 1 (100x span: 100 to 10,000 images). */
export const STUDY_FRACTIONS: readonly number[] = [0.01, 0.1, 1];
/** CNN width multipliers of finding 2 besides the baseline's. */
export const STUDY_WIDTHS: readonly number[] = [0.25, 0.5, 2];
const SEEDS = [0, 1, 2, 3, 4];
const EVALUATIONS = 4;

/** Fashion-MNIST at 14x14, the CNN at width 1 (16-32-64-64 channels, 64-d features), 1,000 + 1,000 probe images. */
const BASE: Record<string, FlagValue> = {
  dataset: 'fashion-mnist',
  'image-size': 14,
  'max-train': STUDY_FULL_SET,
  'max-test': 2000,
  'probe-train': 1000,
  'probe-test': 1000,
  'batch-size': STUDY_BATCH,
  backbone: 'resnet',
  depth: 0,
  width: 1,
};
const budget = { steps: STUDY_STEPS, evaluations: EVALUATIONS };

/** Finding 1: the `last` strategy on 1%, 10%, 100% of the full set, same steps (the 100% run is plain iid). */
export function dataSizeBlock(seeds: readonly number[] = SEEDS): RunSpec[] {
  return STUDY_FRACTIONS.flatMap((fraction) =>
    expandAxes({
      group: 'data-size',
      base: { ...BASE, regime: fraction === 1 ? 'iid' : 'last' },
      axes: { subset: [fraction] },
      seeds: [...seeds],
      budget,
      ...(fraction === 1 ? {} : { config: { regime: { name: 'last', lastFraction: fraction } } }),
    }).map(dropNamingAxis('subset')),
  );
}

/** Finding 5: one architecture part per block, each against the data-size 100% run (same setting and seeds). */
export function architectureBlock(seeds: readonly number[] = SEEDS): RunSpec[] {
  const block = (part: string, config: Record<string, unknown> | undefined, extra: Record<string, FlagValue> = {}) =>
    expandAxes({ group: 'architecture', base: { ...BASE, ...extra }, axes: { part: [part] }, seeds: [...seeds], budget, ...(config ? { config } : {}) }).map(
      dropNamingAxis('part'),
    );
  return [
    ...block('stop-gradient-off', undefined, { 'no-stop-gradient': true }),
    ...block('predictor-hidden-16', { predictorHiddenDim: 16 }),
    ...block('projector-64', { projectorDim: 64, projectorHiddenDim: 64 }),
    ...block('predictor-lr-fixed', undefined, { 'predictor-lr': 0.4 }),
  ];
}

/**
 * Finding 4: continual (one chunk per epoch, `STUDY_STEPS`), the authors' hybrid (that continual pass, then
 * iid on all data for `STUDY_STEPS` more) and iid at the hybrid's doubled compute. The iid arm at
 * `STUDY_STEPS` is the 100% run.
 */
export function regimeBlock(seeds: readonly number[]): RunSpec[] {
  const base = { ...BASE, chunks: STUDY_CHUNKS };
  const doubled = { steps: 2 * STUDY_STEPS, evaluations: EVALUATIONS };
  return [
    ...expandAxes({ group: 'regime', base, axes: { regime: ['continual'] }, seeds: [...seeds], budget }),
    ...expandAxes({ group: 'regime', base, axes: { regime: ['hybrid'] }, seeds: [...seeds], budget: doubled, config: { regime: { name: 'hybrid', hybridSwitchFraction: 0.5 } } }),
    ...expandAxes({ group: 'regime', base: BASE, axes: { regime: ['iid'] }, seeds: [...seeds], budget: doubled }).map((r) => ({ ...r, id: r.id.replace('regime-iid', 'regime-iid_2x') })),
  ];
}

/** Finding 2: CNN widths besides the baseline's (width 1 is the 100% run). */
export function modelSizeBlock(seeds: readonly number[]): RunSpec[] {
  return expandAxes({ group: 'model-size', base: BASE, axes: { width: [...STUDY_WIDTHS] }, seeds: [...seeds], budget });
}

function dropNamingAxis(name: string): (run: RunSpec) => RunSpec {
  return (run) => {
    const flags = { ...run.flags };
    delete flags[name];
    return { ...run, flags };
  };
}

/**
 * The whole third-edition study, in priority order: finding 1's extremes (1% and 100%, five seeds), finding
 * 5's parts (four seeds), finding 4 (four seeds), finding 1's middle subset (10%, three seeds), then finding 2
 * (three seeds per width). 50 runs, 62 run-budgets of 3,000 steps.
 */
export function studyGrid(): GridSpec['runs'] {
  const dataSize = dataSizeBlock();
  const middle = (r: RunSpec) => r.id.includes('subset-0.1--');
  return [...dataSize.filter((r) => !middle(r)), ...architectureBlock([0, 1, 2, 3]), ...regimeBlock([0, 1, 2, 3]), ...dataSize.filter((r) => middle(r) && r.seed < 3), ...modelSizeBlock([0, 1, 2])];
}
