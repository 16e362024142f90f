import type { TrainConfig } from '../config/train-config.ts';
import type { Trainer, TrainLogger } from './trainer-types.ts';

/** What an extension of `siamwatch train` gets: the frozen config, the trainer (hooks, switches) and the logger. */
export interface TrainExtensionContext {
  config: TrainConfig;
  trainer: Trainer;
  logger: TrainLogger;
  /** The run directory (`--out`, or the default `runs/<timestamp>`). */
  runDir: string;
}

/** A started extension; `close` runs after training (also after errors and signals). */
export interface TrainExtensionHandle {
  close?(): Promise<void> | void;
}

/**
 * A component attached to every `siamwatch train` run, e.g. telemetry (`--metrics-port`) or the
 * collapse monitor (`--monitor observe|act`). It attaches through `trainer.addHooks` and may call
 * `trainer.switchRegime` / `trainer.requestStop`. `handles` lists the config fields it serves, so
 * the command can warn about flags that nothing serves.
 */
export interface TrainExtension {
  name: string;
  handles: readonly ('metricsPort' | 'monitor')[];
  start(context: TrainExtensionContext): Promise<TrainExtensionHandle | void> | TrainExtensionHandle | void;
}

/** The extensions `siamwatch train` starts by default (telemetry and monitor register here). */
export const defaultTrainExtensions: TrainExtension[] = [];

/**
 * Starts the extensions and returns a function that closes them (in reverse order, errors logged,
 * not thrown). Warns about `--metrics-port` or `--monitor` when no extension serves them.
 */
export async function startTrainExtensions(
  extensions: readonly TrainExtension[],
  context: TrainExtensionContext,
): Promise<() => Promise<void>> {
  const served = new Set(extensions.flatMap((e) => e.handles));
  if (context.config.metricsPort !== undefined && !served.has('metricsPort')) {
    context.logger.warn({ event: 'unserved-flag', metricsPort: context.config.metricsPort }, '--metrics-port: no telemetry extension is registered; no metrics are served');
  }
  if (context.config.monitor !== 'off' && !served.has('monitor')) {
    context.logger.warn({ event: 'unserved-flag', monitor: context.config.monitor }, '--monitor: no monitor extension is registered; the run is not monitored');
  }
  const handles: { name: string; handle: TrainExtensionHandle }[] = [];
  for (const extension of extensions) {
    const handle = await extension.start(context);
    if (handle) handles.push({ name: extension.name, handle });
  }
  return async () => {
    for (const { name, handle } of handles.reverse()) {
      try {
        await handle.close?.();
      } catch (error) {
        context.logger.warn({ event: 'extension-close', extension: name, error: String(error) }, `closing ${name} failed`);
      }
    }
  };
}
