import { createTelemetry, otlpOptionsFromEnv, type OtlpOptions, type Telemetry, type TelemetryOptions } from '@siamwatch/telemetry';
import type { TrainExtension } from '../train/train-extensions.ts';
import type { IntegrationBus } from './train-integrations.ts';
import { guardedHooks, safeTelemetry, telemetryLoggerOf } from './safe-telemetry.ts';
import { telemetryHooks } from './telemetry-hooks.ts';

/** Options of {@link telemetryExtension}. */
export interface TelemetryExtensionOptions {
  /**
   * The environment the standard `OTEL_*` variables are read from (OTLP endpoint, `OTEL_SDK_DISABLED`,
   * `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_METRICS_EXPORTER`...); pass `process.env` from the command.
   */
  env?: Readonly<Record<string, string | undefined>>;
  /** Shared with the monitor extension (which reports checks and decisions through it). */
  bus: IntegrationBus;
  /** Telemetry factory (tests inject one); default {@link createTelemetry}. */
  create?: (options: TelemetryOptions) => Promise<Telemetry>;
  /** Interface `/metrics` listens on; default 127.0.0.1. */
  host?: string;
}

/** The run id of a run directory: its last path segment (`runs/2026-11-29T213000Z` -> `2026-11-29T213000Z`). */
export function runIdOf(runDir: string): string {
  const parts = runDir.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  return parts.at(-1) ?? 'run';
}

/**
 * The telemetry of `siamwatch train`: with `--metrics-port P` it starts `createTelemetry` on
 * 127.0.0.1:P (Prometheus `/metrics`, the live page `/`, `/api/live`), pushes OTLP too when
 * `OTEL_EXPORTER_OTLP_*ENDPOINT` is set (the other `OTEL_*` variables of `env` go to the telemetry), and logs both URLs; without the port but with OTLP set it
 * only pushes. Every trainer event is mapped by {@link telemetryHooks} through a {@link safeTelemetry}
 * sink, so a failing sink is logged, never thrown into the loop. `close` shuts the telemetry down.
 */
export function telemetryExtension(options: TelemetryExtensionOptions): TrainExtension {
  return {
    name: 'telemetry',
    handles: ['metricsPort'],
    async start({ config, trainer, logger, runDir }) {
      const otlp: OtlpOptions | undefined = options.env ? otlpOptionsFromEnv(options.env) : undefined;
      if (config.metricsPort === undefined && otlp === undefined) return undefined;
      const create = options.create ?? createTelemetry;
      const telemetry = await create({
        runId: runIdOf(runDir),
        ...(config.metricsPort === undefined ? {} : { port: config.metricsPort, host: options.host ?? '127.0.0.1' }),
        ...(otlp ? { otlp } : {}),
        ...(options.env ? { env: options.env } : {}),
        logger: telemetryLoggerOf(logger),
      });
      if (telemetry.url) {
        logger.info({ event: 'telemetry', metrics: `${telemetry.url}/metrics`, live: `${telemetry.url}/` }, `metrics: ${telemetry.url}/metrics  live page: ${telemetry.url}/`);
      }
      if (otlp) logger.info({ event: 'telemetry', otlp: otlp.endpoint }, `pushing OTLP to ${otlp.endpoint}`);
      const sink = safeTelemetry(telemetry, logger);
      options.bus.sink = sink;
      trainer.addHooks(guardedHooks('telemetry', telemetryHooks(sink), logger));
      return {
        async close() {
          await telemetry.flush();
          await telemetry.shutdown();
        },
      };
    },
  };
}
