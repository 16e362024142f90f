/**
 * The study of the report, second edition: the findings of Li, Efros & Pathak (ECCV 2022) with the authors'
 * protocol (alexlioralexli/noncontrastive-ssl), scaled to a 2-core CPU with the native TensorFlow backend.
 *
 * - Compute is fixed per "epoch of the full set": every run trains `STUDY_STEPS` steps of `STUDY_BATCH`
 *   over a full set of `STUDY_FULL_SET` Fashion-MNIST images (14x14), whatever part of it it may use.
 * - Finding 1 uses the authors' `last` strategy (`regime.lastFraction` of the full set, trained for the
 *   whole budget), so a 1% subset (100 images) is seen hundreds of times and the full set a few times.
 * - Finding 4: `continual` with one chunk per epoch of the budget (each chunk repeated for an epoch's worth
 *   of steps) and `hybrid` (continual, then i.i.d. on all data from half of the budget).
 * - Finding 5: each architecture part on its own against the shared baseline (the finding-1 run on 100%).
 * - Finding 2: wider CNNs on the full set (fewer seeds: they cost more per step).
 *
 * Order matters with one process: the grid runs in this order (findings 1 and 5 first), so a partial grid at
 * a deadline still holds the priority findings. `--quick` (CI) shrinks every run (see `quickRun`).
 */
import { expandAxes, type FlagValue, type GridSpec, type RunSpec } from './grid-spec.ts';

/** Images of the full set (the `last` strategy's "epoch" is this set / batch). */
export const STUDY_FULL_SET = 10000;
/** Batch size of every study run. */
export const STUDY_BATCH = 64;
/** Steps of every study run: 600 x 64 = 38,400 views, 3.84 epochs of the full set, 384 passes over 1%. */
export const STUDY_STEPS = 600;
/** Epochs of the full set in the budget, rounded: the continual stream's chunk count (one new chunk per epoch). */
export const STUDY_CHUNKS = Math.round((STUDY_STEPS * STUDY_BATCH) / STUDY_FULL_SET);
/** Subset fractions of finding 1 (100x span: 100 to 10,000 images). */
export const STUDY_FRACTIONS: readonly number[] = [0.01, 0.1, 1];
const SEEDS = [0, 1, 2];
const EVALUATIONS = 4;

/** Fashion-MNIST at 14x14, the narrow CNN (4-8-16-16 channels, 16-d features), 1,000 + 1,000 probe images. */
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
  width: 0.25,
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

/** Finding 4: continual (one chunk per epoch) and hybrid (continual, then iid at 50%); the iid arm is the 100% run. */
export function regimeBlock(seeds: readonly number[]): RunSpec[] {
  return expandAxes({ group: 'regime', base: { ...BASE, chunks: STUDY_CHUNKS }, axes: { regime: ['continual', 'hybrid'] }, seeds: [...seeds], budget });
}

/** Finding 2: CNN widths 0.5 and 1 (32- and 64-d features) on the full set; width 0.25 is the 100% run. */
export function modelSizeBlock(seeds: readonly number[]): RunSpec[] {
  return expandAxes({ group: 'model-size', base: BASE, axes: { width: [0.5, 1] }, seeds: [...seeds], budget });
}

function dropNamingAxis(name: string): (run: RunSpec) => RunSpec {
  return (run) => {
    const flags = { ...run.flags };
    delete flags[name];
    return { ...run, flags };
  };
}

/**
 * The whole second-edition study, in priority order for one process on a shared machine: finding 1's
 * extremes (1% and 100%), finding 5's parts (five seeds without stop-gradient), finding 4 and width 0.5 with two seeds, finding 1's middle
 * subset (10%), then the third seeds and width 1 (the costliest runs).
 */
export function studyGrid(): GridSpec['runs'] {
  const dataSize = dataSizeBlock();
  const middle = (r: RunSpec) => r.id.includes('subset-0.1--');
  const models = modelSizeBlock([0, 1, 2]);
  const width = (w: number, seeds: number[]) => models.filter((r) => r.flags['width'] === w && seeds.includes(r.seed));
  return [
    ...dataSize.filter((r) => !middle(r)),
    ...architectureBlock(),
    // seeds 3 and 4 of the no-stop-gradient part, added after its first three seeds left the Welch interval
    // touching zero (the no-stop-gradient runs spread widely: AUC 0.85-0.94); the summary says so
    ...architectureBlock([3, 4]).filter((r) => r.id.includes('stop_gradient_off')),
    ...regimeBlock([0, 1]),
    ...width(0.5, [0, 1]),
    ...dataSize.filter(middle),
    ...regimeBlock([2]),
    ...width(1, [0, 1]),
    ...width(0.5, [2]),
    ...width(1, [2]),
  ];
}
