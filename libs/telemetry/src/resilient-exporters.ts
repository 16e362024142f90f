import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  AggregationTemporality,
  type InstrumentType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { ResolvedOtlp } from './otlp-options.ts';
import type { TelemetryLogger } from './telemetry-types.ts';

/** The two OTLP signals SiamWatch pushes. */
export type OtlpSignal = 'metrics' | 'traces';

/** Called once per export that failed after the exporter's own retries (the batch is dropped). */
export type ExportFailureHandler = (signal: OtlpSignal, error: Error | undefined) => void;

/** In-flight OTLP requests per signal; beyond this, exports fail fast instead of queueing (bounded memory). */
export const OTLP_CONCURRENCY_LIMIT = 2;

/**
 * Logs dropped exports at most once per `intervalMs` per signal, with the count suppressed meanwhile,
 * so a dead collector costs one warn line per interval, not one per batch.
 */
export function rateLimitedFailureLog(logger: TelemetryLogger, intervalMs = 30_000, now: () => number = Date.now): ExportFailureHandler {
  const last: Record<OtlpSignal, number> = { metrics: -Infinity, traces: -Infinity };
  const suppressed: Record<OtlpSignal, number> = { metrics: 0, traces: 0 };
  return (signal, error) => {
    const t = now();
    if (t - last[signal] < intervalMs) {
      suppressed[signal]++;
      return;
    }
    logger.warn(
      { signal, error: error?.message ?? 'unknown error', suppressedSinceLastLog: suppressed[signal] },
      `OTLP ${signal} export failed after retries; batch dropped, training continues`,
    );
    last[signal] = t;
    suppressed[signal] = 0;
  };
}

function guard(signal: OtlpSignal, onFailure: ExportFailureHandler, cb: (r: ExportResult) => void) {
  return (result: ExportResult): void => {
    if (result.code !== ExportResultCode.SUCCESS) {
      try {
        onFailure(signal, result.error);
      } catch {
        // a failing logger must not break the exporter
      }
    }
    cb(result);
  };
}

/** A push metric exporter that reports each failed (dropped) export to `onFailure`. */
export class ResilientMetricExporter implements PushMetricExporter {
  constructor(
    private readonly inner: PushMetricExporter,
    private readonly onFailure: ExportFailureHandler,
  ) {}

  export(metrics: ResourceMetrics, resultCallback: (result: ExportResult) => void): void {
    this.inner.export(metrics, guard('metrics', this.onFailure, resultCallback));
  }

  selectAggregationTemporality(instrumentType: InstrumentType): AggregationTemporality {
    return this.inner.selectAggregationTemporality?.(instrumentType) ?? AggregationTemporality.CUMULATIVE;
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/** A span exporter that reports each failed (dropped) export to `onFailure`. */
export class ResilientSpanExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly onFailure: ExportFailureHandler,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, guard('traces', this.onFailure, resultCallback));
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
}

/**
 * OTLP metric and span exporters for `otlp` (protobuf or JSON over HTTP), each with the SDK's retry with
 * exponential backoff inside `timeoutMillis`, at most {@link OTLP_CONCURRENCY_LIMIT} requests in flight,
 * and failures reported to `onFailure`.
 */
export function createOtlpExporters(
  otlp: ResolvedOtlp,
  onFailure: ExportFailureHandler,
): { metrics: ResilientMetricExporter; traces: ResilientSpanExporter } {
  const common = { headers: otlp.headers, timeoutMillis: otlp.timeoutMillis, concurrencyLimit: OTLP_CONCURRENCY_LIMIT };
  const json = otlp.protocol === 'http/json';
  const metrics = json
    ? new OtlpJsonMetricExporter({ ...common, url: otlp.metricsUrl })
    : new OtlpProtoMetricExporter({ ...common, url: otlp.metricsUrl });
  const traces = json
    ? new OtlpJsonTraceExporter({ ...common, url: otlp.tracesUrl })
    : new OtlpProtoTraceExporter({ ...common, url: otlp.tracesUrl });
  return {
    metrics: new ResilientMetricExporter(metrics, onFailure),
    traces: new ResilientSpanExporter(traces, onFailure),
  };
}
