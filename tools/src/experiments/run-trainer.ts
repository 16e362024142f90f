/**
 * Runs one `siamwatch train` child process (node apps/trainer/bin/siamwatch.js train ...) for one run
 * directory: decides whether to skip it (summary.json present), resume it (a checkpoint present) or start
 * it afresh, and records the child's output in `logs/<id>.log` beside the run directories.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunSpec } from './grid-spec.ts';
import { writeFileAtomicSync } from '@siamwatch/embedding-io';
import { runResultOf, type RunResult } from './manifest.ts';
import { trainArgs } from './train-args.ts';

/** The `siamwatch` bin of this checkout. */
export const DEFAULT_TRAINER_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../../apps/trainer/bin/siamwatch.js');

/** What a run directory holds: finished (summary.json), resumable (a checkpoint) or nothing usable. */
export type RunDirState = 'finished' | 'resumable' | 'new';

/** Classifies a run directory (see {@link RunDirState}). */
export function runDirState(dir: string): RunDirState {
  if (existsSync(join(dir, 'summary.json'))) return 'finished';
  const checkpoints = join(dir, 'checkpoints');
  if (existsSync(checkpoints) && readdirSync(checkpoints).some((f) => f.endsWith('.ckpt'))) return 'resumable';
  return 'new';
}

/** Reads the headline results of a finished run directory. */
export function readRunResult(dir: string): RunResult {
  return runResultOf(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Record<string, unknown>);
}

/** Options of {@link runTrainer}. */
export interface RunTrainerOptions {
  /** Path of the `siamwatch` bin. Default {@link DEFAULT_TRAINER_BIN}. */
  trainerBin?: string;
  backend?: string;
  /** Folder of the per-run logs. */
  logDir: string;
  /** TensorFlow threads per child (native backend); unset leaves TensorFlow's default (all cores). */
  tfThreads?: number;
  /** Called with the child's pid once it started (for progress / cleanup). */
  onSpawn?: (pid: number) => void;
}

/** The outcome of one child process. */
export interface TrainerOutcome {
  ok: boolean;
  resumed: boolean;
  args: string[];
  seconds: number;
  error?: string;
  result?: RunResult;
}

/** The last error line of a log (a line mentioning "error"), else its last `lines` lines. */
function tail(file: string, lines: number): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8').trimEnd().split('\n');
  const errorLine = text.filter((line) => /error/i.test(line)).at(-1);
  return errorLine ?? text.slice(-lines).join('\n');
}

/**
 * The environment of a trainer child: `FORCE_COLOR=0`, and with `tfThreads` the native TensorFlow thread pools
 * (`TF_NUM_INTRAOP_THREADS`, `TF_NUM_INTEROP_THREADS`) sized so that parallel jobs do not oversubscribe the cores.
 * Values the caller already exported win.
 */
export function trainerEnv(base: NodeJS.ProcessEnv, tfThreads?: number): NodeJS.ProcessEnv {
  const threads = tfThreads === undefined ? {} : { TF_NUM_INTRAOP_THREADS: String(tfThreads), TF_NUM_INTEROP_THREADS: '1' };
  return { ...threads, ...base, FORCE_COLOR: '0' };
}

/**
 * Trains `run` into `dir` with a child process, resuming from a checkpoint when one exists (a directory
 * without one is cleared and started again). Resolves (never rejects) with the outcome; a failed run
 * carries the exit code and the last lines of its log.
 */
export function runTrainer(run: RunSpec, dir: string, options: RunTrainerOptions): Promise<TrainerOutcome> {
  const state = runDirState(dir);
  const resumed = state === 'resumable';
  if (state === 'new' && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  mkdirSync(options.logDir, { recursive: true });
  const configFile = run.config !== undefined ? join(options.logDir, `${run.id}.config.json`) : undefined;
  if (configFile !== undefined) writeFileAtomicSync(configFile, `${JSON.stringify(run.config, null, 2)}\n`);
  const args = trainArgs(run, dir, { backend: options.backend, resume: resumed, configFile });
  const logFile = join(options.logDir, `${run.id}.log`);
  const log = createWriteStream(logFile, { flags: 'a' });
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, [options.trainerBin ?? DEFAULT_TRAINER_BIN, 'train', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: trainerEnv(process.env, options.tfThreads),
    });
    if (child.pid !== undefined) options.onSpawn?.(child.pid);
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    let finished = false;
    const finish = (error?: string) => {
      if (finished) return;
      finished = true;
      log.end(() => {
        const seconds = (Date.now() - started) / 1000;
        if (error === undefined && runDirState(dir) === 'finished') {
          done({ ok: true, resumed, args, seconds, result: readRunResult(dir) });
        } else {
          const why = error ?? 'exited 0 without summary.json';
          done({ ok: false, resumed, args, seconds, error: `${why}: ${tail(logFile, 5)} (log ${logFile})` });
        }
      });
    };
    child.on('error', (error) => finish(`spawn failed: ${error.message}`));
    child.on('close', (code, signal) => finish(code === 0 ? undefined : `exit code ${String(code)}${signal ? ` (signal ${signal})` : ''}`));
  });
}
