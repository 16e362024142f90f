import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandAxes, filterRuns, GridSpecError, runIdOf, validateGrid } from './grid-spec.ts';
import { GRID_NAMES, namedGrid } from './grids.ts';
import { STUDY_CHUNKS, STUDY_FULL_SET, STUDY_STEPS } from './study-grid.ts';
import { etaSeconds, formatDuration } from './progress-reporter.ts';
import { estimatedCost } from './run-grid.ts';
import { runDirState } from './run-trainer.ts';
import { evalEveryEpochs, quickRun, trainArgs, trainImagesOf } from './train-args.ts';

describe('grid specs', () => {
  it('expands axes to the cartesian product times seeds with ids named from the parameters', () => {
    const runs = expandAxes({ group: 'g', base: { dataset: 'mnist' }, axes: { width: [0.5, 1], fraction: [0.1] }, seeds: [0, 1], budget: { steps: 100 } });
    expect(runs.map((r) => r.id)).toEqual(['g--width-0.5--fraction-0.1--s0', 'g--width-0.5--fraction-0.1--s1', 'g--width-1--fraction-0.1--s0', 'g--width-1--fraction-0.1--s1']);
    expect(runs[2].flags).toEqual({ dataset: 'mnist', width: 1, fraction: 0.1 });
    expect(runIdOf('x', { 'stop-gradient': false, name: 'a/b' }, 3)).toBe('x--stop-gradient-off--name-a_b--s3');
  });

  it('rejects empty axes, duplicate ids, runner-owned flags and unmatched filters with typed errors', () => {
    expect(() => expandAxes({ group: 'g', base: {}, axes: { width: [] }, seeds: [0], budget: { steps: 1 } })).toThrow(/axis "width"/);
    const run = expandAxes({ group: 'g', base: {}, axes: {}, seeds: [0], budget: { steps: 5 } })[0];
    expect(() => validateGrid({ name: 'd', description: '', runs: [run, run] })).toThrow(/duplicate run id "g--s0"/);
    expect(() => validateGrid({ name: 'd', description: '', runs: [{ ...run, flags: { seed: 3 } }] })).toThrow(GridSpecError);
    expect(() => validateGrid({ name: 'd', description: '', runs: [{ ...run, budget: { steps: 0 } }] })).toThrow(/budget.steps .* got 0/);
    expect(() => filterRuns({ name: 'd', description: '', runs: [run] }, 'nope')).toThrow(/"nope" matches no run/);
    expect(filterRuns({ name: 'd', description: '', runs: [run] }, '/^g-/').runs).toHaveLength(1);
    expect(() => namedGrid('nope')).toThrow(/unknown grid "nope"/);
  });

  it('every named grid is valid and the study covers the four run groups with at least two seeds', () => {
    for (const name of GRID_NAMES) expect(validateGrid(namedGrid(name)).runs.length).toBeGreaterThan(0);
    const study = namedGrid('study');
    const groups = new Set(study.runs.map((r) => r.group));
    expect([...groups].sort()).toEqual(['architecture', 'data-size', 'model-size', 'regime']);
    const arch = study.runs.filter((r) => r.group === 'architecture');
    expect(arch.find((r) => r.id === 'architecture--part-predictor_lr_fixed--s0')?.flags['predictor-lr']).toBe(0.4);
    expect(arch.find((r) => r.id === 'architecture--part-stop_gradient_off--s0')?.flags['no-stop-gradient']).toBe(true);
    expect(arch.find((r) => r.id === 'architecture--part-predictor_hidden_16--s0')?.config).toEqual({ predictorHiddenDim: 16 });
    for (const run of arch) expect(run.flags).not.toHaveProperty('part');
    for (const group of groups) expect(new Set(study.runs.filter((r) => r.group === group).map((r) => r.seed)).size).toBeGreaterThanOrEqual(2);
  });

  it("the study follows the authors' protocol: same steps for every subset (compute per full-set epoch), `last` subsets over 100x, one continual chunk per epoch", () => {
    const study = namedGrid('study');
    // every run trains the same budget, except the hybrid and its equal-compute iid arm (twice it)
    const doubled = study.runs.filter((r) => r.budget.steps !== STUDY_STEPS);
    expect(doubled.map((r) => r.id.replace(/--s\d+$/, '')).sort()).toEqual([...new Array(4).fill('regime--regime-hybrid'), ...new Array(4).fill('regime--regime-iid_2x')]);
    for (const r of doubled) expect(r.budget.steps).toBe(2 * STUDY_STEPS);
    const hybrid = study.runs.find((r) => r.id === 'regime--regime-hybrid--s0');
    expect(hybrid?.config).toEqual({ regime: { name: 'hybrid', hybridSwitchFraction: 0.5 } });
    const sizes = study.runs.filter((r) => r.group === 'data-size' && r.seed === 0);
    const subsetOf = (r: (typeof sizes)[number]) => (r.config?.['regime'] as { lastFraction?: number } | undefined)?.lastFraction ?? 1;
    expect(sizes.map(subsetOf).sort((a, b) => a - b)).toEqual([0.01, 0.1, 1]);
    for (const r of sizes) expect(r.flags['regime']).toBe(subsetOf(r) < 1 ? 'last' : 'iid');
    // the extremes (1% and 100%) run first: finding 1's verdict compares them
    expect(study.runs.slice(0, 10).map(subsetOf).sort((a, b) => a - b)).toEqual([0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 1, 1, 1]);
    for (const r of sizes) expect(trainImagesOf(r.flags)).toBe(STUDY_FULL_SET);
    // a run's budget is an integral number of full-set epochs, rounded: the continual stream has that many chunks
    expect(STUDY_CHUNKS).toBe(Math.round((STUDY_STEPS * 64) / STUDY_FULL_SET));
    for (const r of study.runs.filter((x) => x.group === 'regime' && x.flags['regime'] !== 'iid')) expect(r.flags['chunks']).toBe(STUDY_CHUNKS);
    // priority order for one process: findings 1 and 5 before 4 and 2
    const firstOf = (g: string) => study.runs.findIndex((r) => r.group === g);
    expect(firstOf('data-size')).toBeLessThan(firstOf('architecture'));
    expect(firstOf('architecture')).toBeLessThan(firstOf('regime'));
    expect(firstOf('regime')).toBeLessThan(firstOf('model-size'));
  });
});

describe('the continuum grid', () => {
  it('covers both methods, three datasets, two widths, anchors and the noise control in its first pass, seed-major', () => {
    const grid = namedGrid('continuum');
    const first = grid.runs.filter((r) => r.seed === 0);
    expect(grid.runs.slice(0, first.length)).toEqual(first); // any prefix of the first pass comes before seed 1
    expect(new Set(first.map((r) => r.flags['method']))).toEqual(new Set(['simsiam', 'byol']));
    expect(new Set(first.map((r) => r.flags['dataset']))).toEqual(new Set(['mnist', 'fashion-mnist', 'synthetic']));
    expect(new Set(first.map((r) => r.flags['width']))).toEqual(new Set([0.25, 0.5]));
    expect(first.some((r) => r.flags['no-stop-gradient'] === true)).toBe(true);
    const noise = first.find((r) => r.params['noise'] !== undefined)!;
    expect(noise.flags['noise']).toBeUndefined(); // the value travels in the config file
    expect(noise.config).toEqual({ augment: { noiseStd: 0.35 } });
    expect(grid.runs.filter((r) => r.seed > 0 && r.flags['no-stop-gradient'])).toEqual([]);
    // the first four runs are the reference setting of every dataset x method pair
    expect(grid.runs.slice(0, 4).every((r) => r.flags['weight-decay'] === 5e-4)).toBe(true);
    const arms = namedGrid('continuum-arms').runs;
    expect(arms.every((r) => r.flags['monitor'] === 'act' && r.budget.evaluations === 10)).toBe(true);
    expect(new Set(arms.map((r) => r.seed))).toEqual(new Set([0, 1, 2]));
    // every monitor-driven run has its fixed arm (same setting and seed) in the continuum
    const fixed = new Set(grid.runs.map((r) => r.id));
    for (const r of arms) expect(fixed.has(r.id.replace(/^continuum-act--/, 'continuum--'))).toBe(true);
  });
});

describe('train arguments', () => {
  it('derives --eval-every so the evaluations fall evenly over the step budget', () => {
    const [run] = expandAxes({ group: 'g', base: { dataset: 'mnist', 'max-train': 60000 }, axes: { fraction: [0.05] }, seeds: [2], budget: { steps: 200, evaluations: 8 } });
    expect(trainImagesOf(run.flags)).toBe(3000);
    // 3000 images / 64 = 47 steps per epoch; 200 / 8 = 25 steps between evaluations
    expect(evalEveryEpochs(run)).toBeCloseTo(25 / 47, 10);
    const args = trainArgs(run, '/tmp/x', { resume: true });
    expect(args.slice(-3)).toEqual(['--out', '/tmp/x', '--resume']);
    expect(args).toEqual(expect.arrayContaining(['--seed', '2', '--steps', '200', '--backend', 'wasm', '--resume']));
    expect(trainImagesOf({})).toBe(10000);
    expect(() => trainImagesOf({ dataset: 'npy' })).toThrow(/dataset "npy"/);
  });

  it('quick runs are much shorter and keep the data-fraction ratios', () => {
    const runs = expandAxes({ group: 'g', base: { dataset: 'mnist', 'max-train': 60000 }, axes: { fraction: [0.01, 1] }, seeds: [0], budget: { steps: 300 } });
    const [small, large] = runs.map(quickRun);
    expect(small.budget.steps).toBe(30);
    expect(small.budget.evaluations).toBe(10);
    expect(trainImagesOf(large.flags) / trainImagesOf(small.flags)).toBeCloseTo(2000 / 64, 5);
    expect(small.id).toBe(runs[0].id);
  });
});

describe('run directory state and progress', () => {
  it('classifies finished, resumable and new run directories', () => {
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-state-'));
    try {
      mkdirSync(join(root, 'a', 'checkpoints'), { recursive: true });
      expect(runDirState(join(root, 'a'))).toBe('new');
      writeFileSync(join(root, 'a', 'checkpoints', 'step-000000010.ckpt'), 'x');
      expect(runDirState(join(root, 'a'))).toBe('resumable');
      writeFileSync(join(root, 'a', 'summary.json'), '{}');
      expect(runDirState(join(root, 'a'))).toBe('finished');
      expect(runDirState(join(root, 'missing'))).toBe('new');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('schedules the costliest runs first', () => {
    const [narrow, wide] = expandAxes({ group: 'g', base: {}, axes: { width: [0.25, 1] }, seeds: [0], budget: { steps: 100 } });
    expect(estimatedCost(wide)).toBeGreaterThan(estimatedCost(narrow));
    expect(estimatedCost({ ...narrow, budget: { steps: 1000 } })).toBeGreaterThan(estimatedCost(wide));
  });

  it('estimates the time left from the runs trained so far', () => {
    expect(etaSeconds([60, 120], 4, 2)).toBe(180);
    expect(Number.isNaN(etaSeconds([], 3, 1))).toBe(true);
    expect(formatDuration(185)).toBe('3m05s');
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});
