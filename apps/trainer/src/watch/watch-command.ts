/**
 * Registers `siamwatch watch DIR`: the serve monitor without a network, for air-gapped clusters and shared
 * filesystems. Trainers drop files into `DIR/<run>/`; the watcher writes `DIR/<run>/decision.json`.
 */
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { createMultiRunMetrics, type TelemetryLogger } from '@siamwatch/telemetry';
import { RunHub } from '../serve/run-hub.ts';
import { addLimitOptions, stderrLogger } from '../serve/serve-command.ts';
import { ServeConfigError } from '../serve/serve-errors.ts';
import { parseServeLimits } from '../serve/serve-options.ts';
import { FolderWatcher } from './folder-watcher.ts';

/** Options of {@link runWatch}. */
export interface WatchOptions {
  dir: string;
  /** Poll interval in ms (default 500). */
  intervalMs: number;
  /** Scan once, check every pending step, write decisions and return. */
  once: boolean;
  limits: ReturnType<typeof parseServeLimits>;
  /** Stops the loop when aborted. */
  signal?: AbortSignal;
  /** Default: pino JSON lines on stderr. */
  logger?: TelemetryLogger;
}

/** Runs the watcher until `signal` aborts (or one pass with `once`); returns files accepted and refused. */
export async function runWatch(options: WatchOptions): Promise<{ accepted: number; rejected: number }> {
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) throw new ServeConfigError(`watch: ${options.dir} is not a directory`);
  const logger = options.logger ?? stderrLogger();
  let watcher: FolderWatcher | undefined;
  const hub = new RunHub({ ...options.limits, metrics: createMultiRunMetrics({ defaultMetrics: false }), logger, onDecision: (d) => watcher?.writeDecision(d) });
  watcher = new FolderWatcher({ dir: options.dir, hub, maxBodyBytes: options.limits.maxBodyBytes, logger });
  try {
    do {
      await watcher.scan();
      if (options.once) break;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    } while (!options.signal?.aborted);
  } finally {
    await hub.close();
    await watcher.flush();
  }
  return { accepted: watcher.accepted, rejected: watcher.rejected };
}

/** Adds the `watch` subcommand to `program`. */
export function registerWatchCommand(program: Command): void {
  addLimitOptions(
    program
      .command('watch')
      .description('Monitor runs that drop embedding files into DIR/<run>/; writes DIR/<run>/decision.json')
      .argument('<dir>', 'folder with one sub-folder per run')
      .option('--interval <ms>', 'poll interval in milliseconds (default 500)')
      .option('--once', 'scan once, check every pending step, write decisions and exit'),
  ).action(async (dir: string, raw: Record<string, unknown>) => {
    const intervalMs = Number(raw['interval'] ?? 500);
    if (!Number.isFinite(intervalMs) || intervalMs < 10) throw new ServeConfigError(`--interval must be a number >= 10, got '${String(raw['interval'])}'`);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    const { accepted, rejected } = await runWatch({ dir, intervalMs, once: raw['once'] === true, limits: parseServeLimits(raw), signal: abort.signal });
    process.stdout.write(`siamwatch watch: ${accepted} files accepted, ${rejected} refused\n`);
  });
}
