/**
 * Null objects of the telemetry (the OpenTelemetry "no-op implementation" pattern): a logger that drops
 * everything and a telemetry that records nothing, so a training loop with monitoring switched off keeps
 * the same calls and needs no branches.
 */
import type { Telemetry, TelemetryLogger } from './telemetry-types.ts';

function ignore(): void {
  return undefined;
}

function resolved(): Promise<void> {
  return Promise.resolve();
}

/** A {@link TelemetryLogger} that drops every line (the default logger of {@link createTelemetry}). */
export const silentLogger: TelemetryLogger = {
  info: ignore,
  warn: ignore,
  error: ignore,
};

/**
 * A {@link Telemetry} that records nothing, serves nothing (`url` undefined) and validates nothing;
 * `span` just runs `fn` and returns its result. `flush` and `shutdown` resolve at once.
 */
export function createNoopTelemetry(runId = 'noop'): Telemetry {
  return {
    runId,
    url: undefined,
    recordStep: ignore,
    recordCollapse: ignore,
    recordEvaluation: ignore,
    recordForecast: ignore,
    recordCheckpoint: ignore,
    setRegime: ignore,
    recordDecision: ignore,
    async span(_name, _attributes, fn) {
      return fn();
    },
    flush: resolved,
    shutdown: resolved,
  };
}
