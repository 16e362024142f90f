/**
 * `npm run experiments -- --grid NAME --out runs/NAME [--quick] [--jobs N] [--only PATTERN]`: trains every
 * run of a grid with `siamwatch train` child processes, resumable, with progress and an atomic manifest.
 * In the background: `nohup npm run experiments -- --grid study --out runs/study > runs/study.log 2>&1 &`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { expandAxes, filterRuns, GridSpecError, validateGrid, type GridAxes, type GridSpec, type RunSpec } from './grid-spec.ts';
import { GRID_NAMES, namedGrid } from './grids.ts';
import { statusCounts, type Manifest } from './manifest.ts';
import { createProgressReporter } from './progress-reporter.ts';
import { runGrid } from './run-grid.ts';

/** Parsed options of the experiments command. */
export interface ExperimentsOptions {
  grid: string;
  out: string;
  quick: boolean;
  jobs: number;
  only?: string;
  backend?: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/**
 * Loads a grid by name (see `GRID_NAMES`) or from a JSON file `{ name, description, blocks?: GridAxes[], runs?: RunSpec[] }`.
 */
export function loadGrid(nameOrFile: string): GridSpec {
  if (!nameOrFile.endsWith('.json')) return namedGrid(nameOrFile);
  if (!existsSync(nameOrFile)) throw new GridSpecError(`grid file "${nameOrFile}" does not exist`);
  const raw = JSON.parse(readFileSync(nameOrFile, 'utf8')) as { name?: string; description?: string; blocks?: GridAxes[]; runs?: RunSpec[] };
  const runs = [...(raw.blocks ?? []).flatMap(expandAxes), ...(raw.runs ?? [])];
  return validateGrid({ name: raw.name ?? nameOrFile, description: raw.description ?? '', runs });
}

/** Parses the command line (`argv` as `process.argv`). */
export function parseExperimentsArgs(argv: readonly string[]): ExperimentsOptions {
  const program = new Command()
    .name('experiments')
    .description(`train a grid of siamwatch runs (grids: ${GRID_NAMES.join(', ')}, or a .json grid file)`)
    .requiredOption('--grid <name>', 'grid name or JSON grid file')
    .option('--out <dir>', 'output folder (default runs/<grid>, runs/<grid>-quick with --quick)')
    .option('--quick', 'shrink every run so the grid finishes in minutes', false)
    .option('--jobs <n>', 'parallel training processes (one core each)', positiveInt, 1)
    .option('--only <pattern>', 'run only ids containing this substring (or matching /regex/)')
    .option('--backend <name>', 'TensorFlow.js backend passed to siamwatch train', 'wasm')
    .exitOverride()
    .parse([...argv]);
  const o = program.opts<{ grid: string; out?: string; quick: boolean; jobs: number; only?: string; backend: string }>();
  return { grid: o.grid, out: o.out ?? `runs/${o.grid.replace(/\.json$/, '')}${o.quick ? '-quick' : ''}`, quick: o.quick, jobs: o.jobs, only: o.only, backend: o.backend };
}

/** Runs the command; returns the manifest. Exit code 1 when a run failed. */
export async function runExperimentsCli(argv: readonly string[]): Promise<Manifest> {
  const options = parseExperimentsArgs(argv);
  const grid = filterRuns(loadGrid(options.grid), options.only);
  const tty = Boolean(process.stderr.isTTY);
  const report = createProgressReporter({ tty, write: (line) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`) });
  const manifest = await runGrid(grid, {
    out: options.out,
    jobs: options.jobs,
    quick: options.quick,
    backend: options.backend,
    command: `npm run experiments -- ${argv.slice(2).join(' ')}`,
    report,
  });
  const counts = statusCounts(manifest);
  for (const run of manifest.runs.filter((r) => r.status === 'failed')) process.stdout.write(`failed: ${run.id}: ${run.error ?? ''}\n`);
  process.stdout.write(`manifest: ${options.out}/manifest.json (${counts.done} done, ${counts.skipped} skipped, ${counts.failed} failed)\n`);
  if (counts.failed > 0) process.exitCode = 1;
  return manifest;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runExperimentsCli(process.argv);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') process.exit(0);
    process.stderr.write(`experiments: ${e.name}: ${e.message}\n`);
    process.exit(2);
  }
}
