/**
 * The named grids of SiamWatch's experiments, sized for a 2-core CPU with the wasm backend (one core
 * per run, a few hundred images/s for the small CNN at 14x14): each full run is about 1-2 minutes,
 * `--quick` shrinks a grid to a couple of minutes. The study follows the five findings of Li, Efros &
 * Pathak, ECCV 2022 (data size, model size, AUC vs accuracy, continual vs multi-epoch, architecture).
 */
import { expandAxes, GridSpecError, type FlagValue, type GridSpec } from './grid-spec.ts';
import { studyGrid } from './study-grid.ts';

/**
 * MNIST at 14x14, 1000/1000 probe images: the cheap setting of the notes where SimSiam beats random features.
 * The live monitor observes every run (`monitor` check records: the calibration's label-free trajectory).
 */
const MNIST: Record<string, FlagValue> = { dataset: 'mnist', 'image-size': 14, 'probe-train': 1000, 'probe-test': 1000, 'max-test': 2000, monitor: 'observe' };
/** The small CNN of the study (widths 4-8-16-16): small enough to show capacity effects at this scale. */
const SMALL: Record<string, FlagValue> = { backbone: 'resnet', depth: 0, width: 0.25 };
/** The multi-epoch setting: 3000 images (5% of MNIST), about 10.7 epochs in 500 steps of 64. */
const MULTI_EPOCH: Record<string, FlagValue> = { ...MNIST, ...SMALL, fraction: 0.05, 'max-train': 60000 };
const STEPS = 500;
const EVALUATIONS = 8;
const SEEDS = [0, 1, 2];

/** Finding 1: a fixed small model, the same step budget, growing data fractions (600, 6000, 60000 images). */
function dataSize(): GridSpec['runs'] {
  return expandAxes({
    group: 'data-size',
    base: { ...MNIST, ...SMALL, 'max-train': 60000 },
    axes: { fraction: [0.01, 0.1, 1] },
    seeds: SEEDS,
    budget: { steps: STEPS, evaluations: EVALUATIONS },
  });
}

/** Finding 1 at four times the budget (2000 steps, two seeds): the paper's effect may need longer training (notes). */
function dataSizeLong(): GridSpec['runs'] {
  return expandAxes({
    group: 'data-size-long',
    base: { ...MNIST, ...SMALL, 'max-train': 60000 },
    axes: { fraction: [0.01, 0.1, 1] },
    seeds: [0, 1],
    budget: { steps: 4 * STEPS, evaluations: EVALUATIONS },
  });
}

/** Finding 2: wider backbones on all of MNIST (width 0.25 is the data-size block's fraction-1 run). */
function modelSize(): GridSpec['runs'] {
  return expandAxes({
    group: 'model-size',
    base: { ...MNIST, backbone: 'resnet', depth: 0, fraction: 1, 'max-train': 60000 },
    axes: { width: [0.5, 1] },
    seeds: SEEDS,
    budget: { steps: STEPS, evaluations: EVALUATIONS },
  });
}

/** Finding 4: regimes at equal compute on the multi-epoch setting; `iid + monitor act` is the monitor-driven hybrid. */
function regimes(seeds = SEEDS): GridSpec['runs'] {
  const budget = { steps: STEPS, evaluations: EVALUATIONS };
  return [
    ...expandAxes({ group: 'regime', base: { ...MULTI_EPOCH, chunks: 5 }, axes: { regime: ['iid', 'continual', 'hybrid'] }, seeds, budget }),
    ...expandAxes({ group: 'regime', base: { ...MULTI_EPOCH, chunks: 5, regime: 'iid' }, axes: { monitor: ['act'] }, seeds, budget }),
  ];
}

/**
 * Finding 4 where collapse certainly occurs: the same arms without stop-gradient (three seeds). Shows whether
 * continual training delays the collapse and whether the monitor (`act`) detects it and switches.
 */
function regimesUnderCollapse(): GridSpec['runs'] {
  const budget = { steps: STEPS, evaluations: EVALUATIONS };
  const base = { ...MULTI_EPOCH, chunks: 5, 'no-stop-gradient': true };
  return [
    ...expandAxes({ group: 'regime-collapse', base, axes: { regime: ['iid', 'continual', 'hybrid'] }, seeds: SEEDS, budget }),
    ...expandAxes({ group: 'regime-collapse', base: { ...base, regime: 'iid' }, axes: { monitor: ['act'] }, seeds: SEEDS, budget }),
  ];
}

/** Finding 5: predictor width, projector width, fixed vs scheduled predictor lr, and no stop-gradient (collapse). */
function architecture(): GridSpec['runs'] {
  const budget = { steps: STEPS, evaluations: EVALUATIONS };
  // the axis only names the run: its value is carried by `config` or `extra` flags, never passed as --name
  const block = (name: string, value: FlagValue, config: Record<string, unknown>, extra: Record<string, FlagValue> = {}) =>
    expandAxes({ group: 'architecture', base: MULTI_EPOCH, axes: { [name]: [value] }, seeds: SEEDS, budget, config }).map((run) => {
      const flags = { ...run.flags, ...extra };
      if (!(name in extra)) delete flags[name];
      return { ...run, flags };
    });
  return [
    ...block('predictor-hidden', 16, { predictorHiddenDim: 16 }),
    ...block('predictor-hidden', 256, { predictorHiddenDim: 256 }),
    ...block('projector-dim', 64, { projectorDim: 64, projectorHiddenDim: 64 }),
    ...block('predictor-lr', 'fixed', {}, { 'predictor-lr': 0.4 }),
    ...block('stop-gradient', 'off', {}, { 'no-stop-gradient': true }),
  ];
}

/** A tiny synthetic grid for tests and smoke checks: a few seconds per run. */
function smoke(): GridSpec['runs'] {
  return expandAxes({
    group: 'smoke',
    base: { dataset: 'synthetic', 'max-train': 256, 'max-test': 200, 'probe-train': 100, 'probe-test': 100, 'batch-size': 32 },
    axes: { width: [0.25] },
    seeds: [0, 1],
    budget: { steps: 6, evaluations: 2 },
  });
}

/** Extra variety for the calibration corpus: other datasets, sizes and collapse (no stop-gradient). */
function corpus(): GridSpec['runs'] {
  const budget = { steps: 300, evaluations: EVALUATIONS };
  return [
    ...expandAxes({
      group: 'corpus',
      base: { 'image-size': 14, 'probe-train': 1000, 'probe-test': 1000, 'max-test': 2000, 'max-train': 5000, backbone: 'resnet', depth: 0, monitor: 'observe' },
      axes: { dataset: ['synthetic', 'fashion-mnist', 'mnist'], width: [0.25], 'stop-gradient': [true, false] },
      seeds: [0],
      budget,
    }).map((run) => {
      const flags = { ...run.flags };
      delete flags['stop-gradient'];
      if (run.params['stop-gradient'] === false) flags['no-stop-gradient'] = true;
      return { ...run, flags };
    }),
  ];
}

/** The collapse-continuum corpus (native backend): 14x14 images, 300 steps, label-free trajectory + final probe. */
const CONTINUUM_BASE: Record<string, FlagValue> = {
  'image-size': 14, 'max-train': 5000, 'max-test': 1000, 'probe-train': 500, 'probe-test': 500, backbone: 'resnet', depth: 0, monitor: 'observe',
};
const CONTINUUM_BUDGET = { steps: 300, evaluations: 2 };

/** One setting of the continuum: the flags that name it, and optional config fields (augmentation). */
interface ContinuumSetting {
  params: Record<string, FlagValue>;
  config?: Record<string, unknown>;
}

/**
 * The settings of the continuum per dataset and method: weight decay graded 5e-4..3e-2 (the hard case: AUC up,
 * accuracy flat until a cliff), the predictor's lr starved 0.01..0.001, two widths, a no-stop-gradient anchor
 * (complete collapse) and a negative control (strong input noise: accuracy falls while the AUC falls). Ordered by
 * priority, each knob across all four dataset x method pairs before the next, so a prefix of the grid is balanced.
 */
export function continuumSettings(): ContinuumSetting[] {
  const knobs: { params: Record<string, FlagValue>; config?: Record<string, unknown> }[] = [
    { params: { width: 0.25, 'weight-decay': 5e-4 } },
    { params: { width: 0.25, 'weight-decay': 3e-2 } },
    { params: { width: 0.25, 'predictor-lr': 0.003 } },
    { params: { width: 0.25, 'weight-decay': 1e-2 } },
    { params: { width: 0.25, noise: 0.35 }, config: { augment: { noiseStd: 0.35 } } },
    { params: { width: 0.25, 'weight-decay': 2e-2 } },
    { params: { width: 0.5, 'weight-decay': 5e-4 } },
    { params: { width: 0.25, 'no-stop-gradient': true } },
    { params: { width: 0.25, 'predictor-lr': 0.001 } },
    { params: { width: 0.5, 'weight-decay': 1.5e-2 } },
    { params: { width: 0.25, 'weight-decay': 5e-3 } },
    { params: { width: 0.25, 'predictor-lr': 0.01 } },
    { params: { width: 0.5, 'predictor-lr': 0.003 } },
  ];
  const settings: ContinuumSetting[] = [];
  knobs.forEach((knob, i) => {
    for (const dataset of ['mnist', 'fashion-mnist']) {
      for (const method of ['simsiam', 'byol']) settings.push({ params: { dataset, method, ...knob.params }, ...(knob.config ? { config: knob.config } : {}) });
    }
    if (i === 2) {
      const extras: Record<string, FlagValue>[] = [{ 'weight-decay': 5e-4 }, { 'weight-decay': 2e-2 }, { 'predictor-lr': 0.003 }, { 'no-stop-gradient': true }];
      for (const extra of extras) {
        settings.push({ params: { dataset: 'synthetic', method: 'simsiam', width: 0.25, ...extra } });
      }
    }
  });
  return settings;
}

/** The collapse-prone settings where the monitor-driven arm (`--monitor act`) is compared with the fixed arm. */
export const ARM_SETTINGS: readonly Record<string, FlagValue>[] = [
  { dataset: 'mnist', method: 'simsiam', width: 0.25, 'weight-decay': 3e-2 },
  { dataset: 'mnist', method: 'byol', width: 0.25, 'weight-decay': 3e-2 },
  { dataset: 'fashion-mnist', method: 'simsiam', width: 0.25, 'weight-decay': 3e-2 },
  { dataset: 'fashion-mnist', method: 'byol', width: 0.25, 'weight-decay': 3e-2 },
];

/** Seeds of the monitor-driven arm (the fixed arm of the same setting and seed is in `continuum`). */
export const ARM_SEEDS: readonly number[] = [0, 1, 2];

function continuumRun(group: string, setting: ContinuumSetting, seeds: number[], extra: Record<string, FlagValue> = {}): GridSpec['runs'] {
  const axes = Object.fromEntries(Object.entries(setting.params).map(([key, value]) => [key, [value]]));
  return expandAxes({ group, base: { ...CONTINUUM_BASE, ...extra }, axes, seeds, budget: CONTINUUM_BUDGET, config: setting.config }).map((run) => {
    const flags = { ...run.flags };
    delete flags['noise']; // names the run; its value is in `config.augment`
    return { ...run, flags };
  });
}

/**
 * The collapse-continuum corpus, ordered seed by seed so that any prefix covers every setting: 56 settings x 3
 * seeds, except the complete-collapse anchors (no stop-gradient: one seed each, they are slow to probe and only anchor the fit).
 */
function continuum(): GridSpec['runs'] {
  const settings = continuumSettings();
  return [0, 1, 2].flatMap((seed) => settings.filter((s) => seed === 0 || !s.params['no-stop-gradient']).flatMap((s) => continuumRun('continuum', s, [seed])));
}

/**
 * The monitor-driven arm (`--monitor act`) on the collapse-prone settings of {@link ARM_SETTINGS}, seeds {@link ARM_SEEDS},
 * with 10 evaluations so that a run the monitor stops has an accuracy measured at most 30 steps before the stop.
 * The fixed arm is the `continuum` run of the same setting and seed (`observe` never changes training).
 */
function continuumArms(): GridSpec['runs'] {
  return ARM_SETTINGS.flatMap((params) =>
    continuumRun('continuum-act', { params }, [...ARM_SEEDS], { monitor: 'act' }).map((run) => ({ ...run, budget: { steps: CONTINUUM_BUDGET.steps, evaluations: 10 } })),
  );
}

/** The first edition's study (MNIST, wasm, 500-2,000 steps in total): findings 1, 2, 4 and 5. 60 runs. */
function studyV1(): GridSpec['runs'] {
  return [...dataSize(), ...dataSizeLong(), ...modelSize(), ...regimes(), ...regimesUnderCollapse(), ...architecture()];
}

const GRIDS: Record<string, { description: string; runs: () => GridSpec['runs'] }> = {
  smoke: { description: 'two tiny synthetic runs (tests, smoke checks)', runs: smoke },
  study: {
    description: "the paper-reproduction study with the authors' protocol: Fashion-MNIST 14x14, compute fixed per full-set epoch, `last` subsets 1-100%, regimes, widths, architecture parts (native backend)",
    runs: studyGrid,
  },
  'study-v1': { description: 'the first edition of the study: data size, model size, regimes, architecture on MNIST 14x14, 500-2,000 steps', runs: studyV1 },
  'data-size': { description: 'finding 1: fixed small CNN, growing data fraction, same steps', runs: dataSize },
  'data-size-long': { description: 'finding 1 with 2000 steps', runs: dataSizeLong },
  'model-size': { description: 'finding 2: CNN width 0.5 and 1 on all of MNIST', runs: modelSize },
  regimes: { description: 'finding 4: iid, continual, hybrid and monitor-driven hybrid at equal compute', runs: () => regimes() },
  'regimes-collapse': { description: 'finding 4 without stop-gradient (collapse occurs): the same four arms', runs: regimesUnderCollapse },
  architecture: { description: 'finding 5: predictor/projector width, predictor lr, stop-gradient', runs: architecture },
  continuum: { description: 'the collapse-continuum corpus of the monitor evaluation (native backend, 56 settings x 3 seeds, no-stop-gradient anchors 1 seed)', runs: continuum },
  'continuum-arms': { description: 'the monitor-driven arm (--monitor act) on collapse-prone continuum settings, seeds 0-2', runs: continuumArms },
  corpus: { description: 'calibration variety: synthetic, Fashion-MNIST, MNIST x with/without stop-gradient (width 0.25, 300 steps)', runs: corpus },
};

/** Names of the built-in grids. */
export const GRID_NAMES: readonly string[] = Object.keys(GRIDS);

/** The built-in grid called `name`; a {@link GridSpecError} names unknown grids. */
export function namedGrid(name: string): GridSpec {
  const grid = GRIDS[name];
  if (grid === undefined) throw new GridSpecError(`unknown grid "${name}" (known: ${GRID_NAMES.join(', ')})`);
  return { name, description: grid.description, runs: grid.runs() };
}
