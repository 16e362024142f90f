/**
 * The loop of `siamwatch watch DIR` (loaded lazily by watch-command.ts): a {@link RunHub} without a server and a
 * {@link FolderWatcher} writing each run's decision.json.
 */
import { existsSync, statSync } from 'node:fs';
import { createMultiRunMetrics, type TelemetryLogger } from '@siamwatch/telemetry';
import { RunHub } from '../serve/run-hub.ts';
import { ServeConfigError } from '../serve/serve-errors.ts';
import type { ServeLimits } from '../serve/serve-options.ts';
import { stderrLogger } from '../serve/start-serve.ts';
import { FolderWatcher } from './folder-watcher.ts';

/** Options of {@link runWatch}. */
export interface WatchOptions {
  dir: string;
  /** Poll interval in ms (default 500). */
  intervalMs: number;
  /** Scan once, check every pending step, write decisions and return. */
  once: boolean;
  limits: ServeLimits;
  /** Stops the loop when aborted. */
  signal?: AbortSignal;
  /** Default: pino JSON lines on stderr. */
  logger?: TelemetryLogger;
}

/** Runs the watcher until `signal` aborts (or one pass with `once`); returns files accepted and refused. */
export async function runWatch(options: WatchOptions): Promise<{ accepted: number; rejected: number }> {
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) throw new ServeConfigError(`watch: ${options.dir} is not a directory`);
  const logger = options.logger ?? stderrLogger();
  const late: { watcher?: FolderWatcher } = {};
  const hub = new RunHub({ ...options.limits, metrics: createMultiRunMetrics({ defaultMetrics: false }), logger, onDecision: (d) => late.watcher?.writeDecision(d) });
  const watcher = new FolderWatcher({ dir: options.dir, hub, maxBodyBytes: options.limits.maxBodyBytes, logger });
  late.watcher = watcher;
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
