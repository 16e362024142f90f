import { createNoopTelemetry, type TelemetrySink } from '@siamwatch/telemetry';

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
