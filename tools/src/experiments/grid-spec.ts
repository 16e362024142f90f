/**
 * Grid specifications of the experiment runner: a named grid is a list of runs, each a set of
 * `siamwatch train` flags plus a seed and a step budget. Grids are written as axes (a base set of
 * flags and the values of each varied flag) and expanded to their cartesian product x seeds.
 */

/** The value of one `siamwatch train` flag: `true` writes `--flag`, `false` omits it. */
export type FlagValue = string | number | boolean;

/** Raised when a grid or run specification is invalid; the message names the bad value. */
export class GridSpecError extends Error {
  override readonly name = 'GridSpecError';
}

/** The step budget of a run and how many evaluations (the feature trajectory) it records. */
export interface RunBudget {
  /** Training steps (`--steps`). */
  steps: number;
  /** Evaluations after the start, evenly spread (`--eval-every` is derived from it). Default 10. */
  evaluations?: number;
}

/** One training run of a grid. `id` names its run directory. */
export interface RunSpec {
  id: string;
  /** The experiment (finding) the run belongs to, e.g. `data-size`. */
  group: string;
  seed: number;
  /** The varied parameters that name the run (subset of `flags`). */
  params: Record<string, FlagValue>;
  /** Every flag passed to `siamwatch train` (without `--out`, `--seed`, `--steps`, `--eval-every`). */
  flags: Record<string, FlagValue>;
  /** Config fields without a CLI flag (e.g. `predictorHiddenDim`), written to a `--config` JSON file. */
  config?: Record<string, unknown>;
  budget: RunBudget;
}

/** A named grid: the unit `npm run experiments -- --grid NAME` runs. */
export interface GridSpec {
  name: string;
  description: string;
  runs: RunSpec[];
}

/** A block of a grid written as axes: `base` flags, the values of each varied flag, the seeds. */
export interface GridAxes {
  group: string;
  base: Record<string, FlagValue>;
  axes: Record<string, FlagValue[]>;
  seeds: number[];
  budget: RunBudget;
  /** Config fields without a CLI flag, shared by the block. */
  config?: Record<string, unknown>;
}

const SAFE = /[^a-z0-9.]+/gi;

function slug(value: FlagValue): string {
  if (value === true) return 'on';
  if (value === false) return 'off';
  return String(value).replace(SAFE, '_');
}

/** The run directory name of a run: `group--key-value--...--s<seed>` (kebab-case keys, safe characters). */
export function runIdOf(group: string, params: Record<string, FlagValue>, seed: number): string {
  const parts = Object.entries(params).map(([key, value]) => `${key}-${slug(value)}`);
  return [group, ...parts, `s${seed}`].join('--');
}

/** Expands axes to runs: the cartesian product of the axis values, times the seeds, in a stable order. */
export function expandAxes(spec: GridAxes): RunSpec[] {
  if (spec.seeds.length === 0) throw new GridSpecError(`grid block "${spec.group}": seeds must not be empty`);
  let combos: Record<string, FlagValue>[] = [{}];
  for (const [key, values] of Object.entries(spec.axes)) {
    if (values.length === 0) throw new GridSpecError(`grid block "${spec.group}": axis "${key}" has no values`);
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  }
  return combos.flatMap((params) =>
    spec.seeds.map((seed) => ({
      id: runIdOf(spec.group, params, seed),
      group: spec.group,
      seed,
      params,
      flags: { ...spec.base, ...params },
      ...(spec.config ? { config: { ...spec.config } } : {}),
      budget: { ...spec.budget },
    })),
  );
}

/** Checks a grid: non-empty, unique run ids, positive integer budgets. Returns it unchanged. */
export function validateGrid(grid: GridSpec): GridSpec {
  if (grid.runs.length === 0) throw new GridSpecError(`grid "${grid.name}" has no runs`);
  const seen = new Set<string>();
  for (const run of grid.runs) {
    if (seen.has(run.id)) throw new GridSpecError(`grid "${grid.name}": duplicate run id "${run.id}"`);
    seen.add(run.id);
    if (!Number.isSafeInteger(run.budget.steps) || run.budget.steps < 1) {
      throw new GridSpecError(`run "${run.id}": budget.steps must be a positive integer, got ${String(run.budget.steps)}`);
    }
    const evaluations = run.budget.evaluations ?? 10;
    if (!Number.isSafeInteger(evaluations) || evaluations < 1) {
      throw new GridSpecError(`run "${run.id}": budget.evaluations must be a positive integer, got ${String(evaluations)}`);
    }
    for (const key of ['out', 'seed', 'steps', 'eval-every', 'resume', 'config']) {
      if (key in run.flags) throw new GridSpecError(`run "${run.id}": flag --${key} is set by the runner, not the grid`);
    }
  }
  return grid;
}

/** Keeps the runs whose id contains `pattern` (a substring, or a /regex/). */
export function filterRuns(grid: GridSpec, pattern: string | undefined): GridSpec {
  if (pattern === undefined || pattern === '') return grid;
  const regex = pattern.length > 2 && pattern.startsWith('/') && pattern.endsWith('/') ? new RegExp(pattern.slice(1, -1)) : undefined;
  const runs = grid.runs.filter((run) => (regex ? regex.test(run.id) : run.id.includes(pattern)));
  if (runs.length === 0) throw new GridSpecError(`--only "${pattern}" matches no run of grid "${grid.name}"`);
  return { ...grid, runs };
}
