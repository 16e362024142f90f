/**
 * Starts `siamwatch serve` in-process: the run hub and the HTTP server (the command, tests and the bench use it).
 * Loaded lazily by serve-command.ts so that other subcommands do not pay for OpenTelemetry and prom-client.
 */
import { destination, pino, stdTimeFunctions } from 'pino';
import { createMultiRunMetrics, otlpOptionsFromEnv, type TelemetryLogger } from '@siamwatch/telemetry';
import { checkExposure } from './bearer-token.ts';
import { RunHub } from './run-hub.ts';
import type { ServeLimits } from './serve-options.ts';
import { startServeServer, type ServeServer } from './serve-server.ts';

/** What `siamwatch serve` runs (also used by tests and the bench to start a server in-process). */
export interface ServeRunOptions extends ServeLimits {
  host: string;
  port: number;
  token: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  logger: TelemetryLogger;
}

/** A running sidecar: its address, its runs and a clean stop. */
export interface RunningServe {
  url: string;
  hub: RunHub;
  close(): Promise<void>;
}

/** Starts the hub and the HTTP server (refuses a non-loopback host without a token). */
export async function startServe(options: ServeRunOptions): Promise<RunningServe> {
  checkExposure(options.host, options.token);
  const metrics = createMultiRunMetrics();
  const otlp = otlpOptionsFromEnv(options.env);
  const hub = new RunHub({ ...options, metrics, ...(otlp ? { otlp } : {}) });
  let server: ServeServer;
  try {
    server = await startServeServer({ host: options.host, port: options.port, token: options.token, maxBodyBytes: options.maxBodyBytes, hub, metrics, logger: options.logger });
  } catch (error) {
    await hub.close();
    throw error;
  }
  return {
    url: server.url,
    hub,
    async close() {
      await server.close();
      await hub.close();
    },
  };
}

/** A pino logger on stderr (JSON lines), compatible with the telemetry's logger interface. */
export function stderrLogger(): TelemetryLogger {
  return pino({ base: undefined, timestamp: stdTimeFunctions.isoTime }, destination({ dest: 2, sync: true }));
}
