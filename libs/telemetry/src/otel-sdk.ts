/**
 * OpenTelemetry for one telemetry instance, assembled by `NodeSDK` from `@opentelemetry/sdk-node`:
 * it builds the meter and tracer providers over the given resource, metric readers and span
 * processors, the sampler and span limits (`OTEL_TRACES_SAMPLER*`, `OTEL_SPAN_*`), and registers
 * them with the global `@opentelemetry/api`. Resource detection and the readers/exporters are passed
 * in (built from the `env` option), so the SDK's own reads of `process.env` are limited to those
 * sampler/limit/log-level variables: the one documented exception to "libs never read process.env".
 */
import { metrics, ProxyTracerProvider, trace, type Tracer, type Meter, createNoopMeter } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { MeterProvider, type IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The providers of one started SDK (or no-ops when disabled). */
export interface OtelSdk {
  meter(scope: string): Meter;
  tracer(scope: string): Tracer;
  /** True when the SDK runs (not disabled). */
  readonly enabled: boolean;
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** What {@link startOtelSdk} assembles. */
export interface OtelSdkParts {
  resource: Resource;
  metricReaders: IMetricReader[];
  spanProcessors: SpanProcessor[];
  /** `OTEL_SDK_DISABLED`: start nothing, hand out no-op meters and tracers. */
  disabled: boolean;
}

const noopTracerProvider = new ProxyTracerProvider();

/** The disabled SDK: no-op meters and tracers, nothing to flush. */
function disabledSdk(): OtelSdk {
  return {
    enabled: false,
    meter: () => createNoopMeter(),
    tracer: (scope) => noopTracerProvider.getTracer(scope),
    forceFlush: async () => undefined,
    shutdown: async () => undefined,
  };
}

/**
 * Starts a `NodeSDK` with `parts` and returns its own providers. The SDK registers them as the
 * global OpenTelemetry API providers; a later instance in the same process takes the global API
 * over, while every instance keeps recording through its own providers (captured here). At
 * shutdown the global registration is released if it is still this instance's.
 */
export function startOtelSdk(parts: OtelSdkParts): OtelSdk {
  if (parts.disabled) return disabledSdk();
  metrics.disable();
  trace.disable();
  const sdk = new NodeSDK({
    resource: parts.resource,
    autoDetectResources: false,
    metricReaders: parts.metricReaders,
    spanProcessors: parts.spanProcessors,
    logRecordProcessors: [],
    textMapPropagator: null,
  });
  sdk.start();
  const globalMeters = metrics.getMeterProvider();
  const meterProvider = globalMeters instanceof MeterProvider ? globalMeters : undefined;
  const proxy = trace.getTracerProvider();
  const tracerProvider = proxy instanceof ProxyTracerProvider ? proxy.getDelegate() : proxy;
  const hasTracer = parts.spanProcessors.length > 0;
  let closed: Promise<void> | undefined;
  return {
    enabled: true,
    meter: (scope) => meterProvider?.getMeter(scope) ?? createNoopMeter(),
    tracer: (scope) => (hasTracer ? tracerProvider.getTracer(scope) : noopTracerProvider.getTracer(scope)),
    async forceFlush() {
      const flushable = tracerProvider as { forceFlush?: () => Promise<void> };
      await Promise.allSettled([meterProvider?.forceFlush(), hasTracer ? flushable.forceFlush?.() : undefined]);
    },
    shutdown() {
      closed ??= (async () => {
        await sdk.shutdown().catch(() => undefined);
        if (metrics.getMeterProvider() === meterProvider) metrics.disable();
        if (hasTracer && (trace.getTracerProvider() as ProxyTracerProvider).getDelegate?.() === tracerProvider) trace.disable();
      })();
      return closed;
    },
  };
}
