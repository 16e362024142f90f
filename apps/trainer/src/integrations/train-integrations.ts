import { createNoopTelemetry, type Telemetry, type TelemetryOptions, type TelemetrySink } from '@siamwatch/telemetry';
import type { TrainExtension } from '../train/train-extensions.ts';
import { monitorExtension, type MonitorExtensionOptions } from './monitor-extension.ts';
import { telemetryExtension } from './telemetry-extension.ts';

/**
 * What the telemetry and monitor extensions of one `siamwatch train` run share: the telemetry sink
 * the monitor reports its checks, forecasts and decisions to. A no-op sink until the telemetry
 * extension starts (or when telemetry is off), so the monitor never branches on it.
 */
export interface IntegrationBus {
  sink: TelemetrySink;
}

/** A bus whose sink does nothing (telemetry off). */
export function createIntegrationBus(): IntegrationBus {
  return { sink: createNoopTelemetry() };
}

/** Options of {@link trainIntegrations}. */
export interface TrainIntegrationsOptions {
  /** Environment for OTLP settings; the command passes `process.env` (libs never read it). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Telemetry factory override (tests). */
  createTelemetry?: (options: TelemetryOptions) => Promise<Telemetry>;
  /** Monitor extension overrides (subset size, K, monitor options). */
  monitor?: Omit<MonitorExtensionOptions, 'bus'>;
}

/**
 * The extensions of `siamwatch train`, in start order: telemetry (`--metrics-port`, OTLP env), then
 * the collapse monitor (`--monitor observe|act`), sharing one bus so the monitor's checks, forecasts
 * and decisions reach the telemetry.
 */
export function trainIntegrations(options: TrainIntegrationsOptions = {}): TrainExtension[] {
  const bus = createIntegrationBus();
  return [
    telemetryExtension({ bus, ...(options.env ? { env: options.env } : {}), ...(options.createTelemetry ? { create: options.createTelemetry } : {}) }),
    monitorExtension({ bus, ...options.monitor }),
  ];
}
