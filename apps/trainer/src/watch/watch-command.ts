/**
 * Registers `siamwatch watch DIR`: the serve monitor without a network, for air-gapped clusters and shared
 * filesystems. Trainers drop files into `DIR/<run>/`; the watcher writes `DIR/<run>/decision.json`.
 */
import type { Command } from 'commander';
import { addLimitOptions } from '../serve/serve-command.ts';
import { ServeConfigError } from '../serve/serve-errors.ts';
import { parseServeLimits } from '../serve/serve-options.ts';

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
    const { runWatch } = await import('./run-watch.ts');
    const { accepted, rejected } = await runWatch({ dir, intervalMs, once: raw['once'] === true, limits: parseServeLimits(raw), signal: abort.signal });
    process.stdout.write(`siamwatch watch: ${accepted} files accepted, ${rejected} refused\n`);
  });
}
