/**
 * Runs a grid: one `siamwatch train` child per run directory, `jobs` at a time, resumable (finished runs are
 * skipped, interrupted ones continued with `--resume`; a resume the trainer refuses is retried once from scratch), with the manifest rewritten atomically after every
 * change. A failing run is recorded in the manifest and reported; the others keep going.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { validateGrid, type GridSpec, type RunSpec } from './grid-spec.ts';
import { readManifest, writeManifest, type Manifest, type ManifestEntry } from './manifest.ts';
import type { GridReporter } from './progress-reporter.ts';
import { DEFAULT_TRAINER_BIN, readRunResult, runDirState, runTrainer } from './run-trainer.ts';
import { quickRun, trainArgs } from './train-args.ts';

/** Options of {@link runGrid}. */
export interface RunGridOptions {
  /** Output folder: run directories, `logs/`, `manifest.json`. */
  out: string;
  /** Parallel child processes. Default 1 (wasm training uses one core per process). */
  jobs?: number;
  /** Shrink every run with {@link quickRun}. */
  quick?: boolean;
  backend?: string;
  trainerBin?: string;
  /** Cores shared by the jobs (default: this machine's); native TensorFlow children get cores / jobs threads each. */
  cores?: number;
  /** The command line recorded in the manifest. */
  command?: string;
  report?: GridReporter;
}

/**
 * TensorFlow threads per child for the native backends: the cores split between the jobs (at least 1); undefined
 * for wasm/cpu (one thread each anyway). Two single-thread native jobs train the study's small CNN about 1.4x as
 * fast in total as one job using both cores (measured from the runs' images/s: docs/report/README.md, "Sizing").
 */
export function tfThreadsPerJob(backend: string | undefined, jobs: number, cores: number): number | undefined {
  if (backend === undefined || !backend.startsWith('tensorflow')) return undefined;
  return Math.max(1, Math.floor(cores / Math.max(1, jobs)));
}

/** Relative cost of a run for scheduling: steps x backbone width (wider CNNs cost more per step). */
export function estimatedCost(run: RunSpec): number {
  const width = Number(run.flags['width'] ?? 1);
  return run.budget.steps * Math.max(0.25, Number.isFinite(width) ? width : 1);
}

function entryOf(grid: GridSpec, index: number, out: string, backend: string | undefined, previous?: ManifestEntry): ManifestEntry {
  const run = grid.runs[index];
  const dir = join(out, run.id);
  return {
    id: run.id,
    group: run.group,
    seed: run.seed,
    params: run.params,
    dir: run.id,
    args: trainArgs(run, dir, { backend, configFile: run.config ? join(out, 'logs', `${run.id}.config.json`) : undefined }),
    status: 'pending',
    attempts: previous?.attempts ?? 0,
    resumed: false,
  };
}

/**
 * Trains every run of `grid` that has no summary.json yet and returns the final manifest
 * (`out/manifest.json`). Never throws for a failing run: its entry gets `status: 'failed'` and `error`.
 */
export async function runGrid(gridSpec: GridSpec, options: RunGridOptions): Promise<Manifest> {
  const out = resolve(options.out);
  const grid = validateGrid(options.quick ? { ...gridSpec, runs: gridSpec.runs.map(quickRun) } : gridSpec);
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const tfThreads = tfThreadsPerJob(options.backend, jobs, options.cores ?? availableParallelism());
  const report: GridReporter = options.report ?? (() => undefined);
  mkdirSync(out, { recursive: true });
  const manifestFile = join(out, 'manifest.json');
  const previous = readManifest(manifestFile);
  const started = Date.now();
  const manifest: Manifest = {
    grid: grid.name,
    description: grid.description,
    quick: options.quick ?? false,
    command: options.command ?? '',
    trainer: options.trainerBin ?? DEFAULT_TRAINER_BIN,
    startedAt: new Date(started).toISOString(),
    updatedAt: '',
    runs: grid.runs.map((_, i) => entryOf(grid, i, out, options.backend, previous?.runs.find((r) => r.id === grid.runs[i].id))),
  };
  const queue: number[] = [];
  manifest.runs.forEach((entry, i) => {
    if (runDirState(join(out, entry.id)) === 'finished') {
      entry.status = 'skipped';
      entry.result = readRunResult(join(out, entry.id));
    } else {
      queue.push(i);
    }
  });
  // several jobs: longest runs first (shorter makespan; ties keep the grid order); one job: the grid's own (priority) order
  if (jobs > 1) queue.sort((a, b) => estimatedCost(grid.runs[b]) - estimatedCost(grid.runs[a]) || a - b);
  writeManifest(manifestFile, manifest);
  report({ kind: 'start', total: grid.runs.length, toRun: queue.length, jobs });
  for (const entry of manifest.runs) if (entry.status === 'skipped') report({ kind: 'skip', id: entry.id });

  const worker = async () => {
    for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
      const entry = manifest.runs[i];
      const dir = join(out, entry.id);
      entry.status = 'running';
      entry.attempts += 1;
      entry.resumed = runDirState(dir) === 'resumable';
      writeManifest(manifestFile, manifest);
      report({ kind: 'run', id: entry.id, resumed: entry.resumed });
      let outcome = await runTrainer(grid.runs[i], dir, { logDir: join(out, 'logs'), backend: options.backend, trainerBin: options.trainerBin, tfThreads });
      if (!outcome.ok && entry.resumed) {
        // a checkpoint the trainer refuses (e.g. written by another trainer version) must not block the run: start afresh once
        report({ kind: 'run', id: entry.id, resumed: false });
        rmSync(dir, { recursive: true, force: true });
        entry.resumed = false;
        const retry = await runTrainer(grid.runs[i], dir, { logDir: join(out, 'logs'), backend: options.backend, trainerBin: options.trainerBin, tfThreads });
        outcome = { ...retry, seconds: outcome.seconds + retry.seconds, error: retry.ok ? undefined : `resume failed (${outcome.error ?? ''}); fresh start failed: ${retry.error ?? ''}` };
      }
      entry.args = outcome.args;
      entry.seconds = outcome.seconds;
      if (outcome.ok && outcome.result) {
        entry.status = 'done';
        entry.result = outcome.result;
        delete entry.error;
        report({ kind: 'done', id: entry.id, seconds: outcome.seconds, linearProbeAccuracy: outcome.result.linearProbeAccuracy, auc: outcome.result.auc });
      } else {
        entry.status = 'failed';
        entry.error = outcome.error;
        report({ kind: 'fail', id: entry.id, seconds: outcome.seconds, error: outcome.error ?? 'unknown error' });
      }
      writeManifest(manifestFile, manifest);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, queue.length)) }, worker));
  manifest.finishedAt = new Date().toISOString();
  writeManifest(manifestFile, manifest);
  const count = (status: string) => manifest.runs.filter((r) => r.status === status).length;
  report({ kind: 'end', done: count('done'), skipped: count('skipped'), failed: count('failed'), seconds: (Date.now() - started) / 1000 });
  return manifest;
}
