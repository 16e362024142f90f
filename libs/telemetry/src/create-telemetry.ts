import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { LiveHistory } from './live-history.ts';
import { livePageHtml } from './live-page.ts';
import { DEFAULT_REGIMES } from './metric-names.ts';
import { silentLogger } from './null-telemetry.ts';
import { startOtelSdk } from './otel-sdk.ts';
import { resolveOtlp } from './otlp-options.ts';
import {
  TelemetryConfigError,
  checkCheckpoint,
  checkCollapse,
  checkDecision,
  checkEvaluation,
  checkForecast,
  checkLabelValue,
} from './record-validation.ts';
import { createOtlpExporters, rateLimitedFailureLog, type OtlpSignal } from './resilient-exporters.ts';
import { sdkEnvSettings } from './sdk-env.ts';
import { DEFAULT_STEP_DURATION_BUCKETS, SignalInstruments } from './signal-instruments.ts';
import { startTelemetryServer, type TelemetryServer } from './telemetry-server.ts';
import type { Telemetry, TelemetryOptions } from './telemetry-types.ts';

const SCOPE = '@siamwatch/telemetry';
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** Test seams of {@link createTelemetryWith}: an extra span exporter (e.g. in-memory) and a clock. */
export interface TelemetryHooks {
  spanExporter?: SpanExporter;
  now?: () => number;
}

function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    t.unref();
    p.then(
      () => (clearTimeout(t), resolve()),
      () => (clearTimeout(t), resolve()),
    );
  });
}

/**
 * Starts OpenTelemetry metrics and traces for one training run (assembled by `NodeSDK` of
 * `@opentelemetry/sdk-node`) and, when `options.port` is given, one HTTP server on `host:port` with
 * `/metrics` (OpenTelemetry series of {@link METRICS} plus prom-client process/Node.js defaults), the
 * live page `/` and `/api/live`. The standard `OTEL_*` variables of `options.env` apply
 * (`OTEL_SDK_DISABLED`, `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_METRICS_EXPORTER`,
 * `OTEL_TRACES_EXPORTER`, `OTEL_EXPORTER_OTLP_*`); with `options.otlp` or an OTLP endpoint it pushes OTLP.
 * A down or slow collector never blocks or throws into training (exports time out, retry with backoff,
 * are dropped, counted in `siamwatch_telemetry_exporter_errors_total` and logged).
 */
export function createTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  return createTelemetryWith(options, {});
}

/** {@link createTelemetry} with test seams. */
export async function createTelemetryWith(options: TelemetryOptions, hooks: TelemetryHooks): Promise<Telemetry> {
  const { runId } = options;
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new TelemetryConfigError(`runId must match ${RUN_ID.source}, got ${JSON.stringify(runId)}`);
  }
  const now = hooks.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const regimes = options.regimes ?? DEFAULT_REGIMES;
  for (const r of regimes) checkLabelValue('regime', r);
  const points = options.historyPoints ?? 2048;
  if (!Number.isInteger(points) || points < 4 || points % 2 !== 0) {
    throw new TelemetryConfigError(`historyPoints must be an even integer >= 4, got ${String(points)}`);
  }
  const shutdownMs = options.shutdownTimeoutMillis ?? 5000;
  const settings = sdkEnvSettings(options.env ?? {}, options.port !== undefined, options.otlp);
  for (const warning of settings.warnings) logger.warn({ warning }, warning);
  const otlp = settings.otlp === undefined ? undefined : resolveOtlp(settings.otlp);

  const resource = defaultResource().merge(
    resourceFromAttributes({
      'service.name': options.serviceName ?? 'siamwatch-trainer',
      ...settings.resourceAttributes,
      'service.instance.id': runId,
      'siamwatch.run_id': runId,
    }),
  );
  const late: { instruments?: SignalInstruments } = {};
  const logFailure = rateLimitedFailureLog(logger);
  const onFailure = (signal: OtlpSignal, error: Error | undefined): void => {
    late.instruments?.exporterError(signal);
    logFailure(signal, error);
  };
  const exporters = otlp === undefined ? undefined : createOtlpExporters(otlp, onFailure);

  const readers: IMetricReader[] = [];
  const prometheus = settings.metricsExporters.has('prometheus') ? new PrometheusExporter({ preventServerStart: true, withoutScopeInfo: true }) : undefined;
  if (prometheus !== undefined) readers.push(prometheus);
  if (exporters !== undefined && otlp !== undefined && settings.metricsExporters.has('otlp')) {
    readers.push(
      new PeriodicExportingMetricReader({
        exporter: exporters.metrics,
        exportIntervalMillis: otlp.exportIntervalMillis,
        exportTimeoutMillis: otlp.timeoutMillis,
      }),
    );
  }
  const spanProcessors: SpanProcessor[] = [];
  if (exporters !== undefined && otlp !== undefined && settings.tracesExporters.has('otlp')) {
    spanProcessors.push(
      new BatchSpanProcessor(exporters.traces, {
        maxQueueSize: 2048,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 5000,
        exportTimeoutMillis: otlp.timeoutMillis,
      }),
    );
  }
  if (hooks.spanExporter !== undefined) spanProcessors.push(new SimpleSpanProcessor(hooks.spanExporter));
  const sdk = startOtelSdk({ resource, metricReaders: readers, spanProcessors, disabled: settings.disabled });
  const signals = new SignalInstruments(sdk.meter(SCOPE), runId, regimes, options.stepDurationBuckets ?? DEFAULT_STEP_DURATION_BUCKETS);
  late.instruments = signals;
  const tracer = sdk.tracer(SCOPE);
  const activeSpan = new AsyncLocalStorage<Span>();

  const registry = new Registry();
  registry.setDefaultLabels({ run_id: runId });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const serializer = new PrometheusSerializer('', false, undefined, false, true);
  const history = new LiveHistory(runId, points, regimes);

  let server: TelemetryServer | undefined;
  let collectFailureLogged = false;
  if (options.port !== undefined) {
    server = await startTelemetryServer(
      options.host ?? '127.0.0.1',
      options.port,
      {
        metricsContentType: registry.contentType,
        async metrics() {
          const own = await registry.metrics();
          if (prometheus === undefined) return own;
          try {
            const collected = await prometheus.collect();
            for (const e of collected.errors) logger.warn({ error: String(e) }, 'metric collection error');
            return `${own.trimEnd()}\n\n${serializer.serialize(collected.resourceMetrics)}`;
          } catch (error) {
            // e.g. the SDK was disabled behind our back: serve prom-client's series alone.
            if (!collectFailureLogged) logger.warn({ error: String(error) }, 'OpenTelemetry collection failed; /metrics serves prom-client only');
            collectFailureLogged = true;
            return own;
          }
        },
        live: () => history.snapshot(),
        page: () => livePageHtml(runId),
      },
      logger,
    );
  }

  const setRegime = (regime: string, step: number, reason = 'set'): void => {
    checkLabelValue('regime', regime);
    signals.regime(regime);
    history.regime(regime, step, reason, now());
  };
  let closed: Promise<void> | undefined;

  return {
    runId,
    url: server?.url,
    recordStep(r) {
      try {
        const t = now();
        signals.step(r, t);
        history.step(r, t);
      } catch (err) {
        logger.error({ error: String(err) }, 'recordStep failed');
      }
    },
    recordCollapse(r) {
      checkCollapse(r);
      signals.collapse(r);
      history.collapseMetrics(r, now());
    },
    recordEvaluation(r) {
      checkEvaluation(r);
      signals.evaluation(r);
      history.evaluation(r, now());
    },
    recordForecast(r) {
      checkForecast(r);
      signals.forecast(r);
      history.forecastAccuracy(r, now());
    },
    recordCheckpoint(r) {
      checkCheckpoint(r);
      signals.checkpoint(r);
    },
    setRegime,
    recordDecision(r) {
      checkDecision(r);
      signals.decision(r.decision, r.reasonClass);
      history.decision(r, now());
      const attributes = {
        'siamwatch.decision': r.decision,
        'siamwatch.reason_class': r.reasonClass,
        'siamwatch.reason': r.reason,
        'siamwatch.step': r.step,
        ...(r.regime === undefined ? {} : { 'siamwatch.regime': r.regime }),
      };
      const parent = activeSpan.getStore();
      if (parent !== undefined) parent.addEvent('siamwatch.decision', attributes);
      else tracer.startSpan('siamwatch.decision', { attributes: { 'siamwatch.run_id': runId } }, ROOT_CONTEXT).addEvent('siamwatch.decision', attributes).end();
      logger.info({ runId, ...r }, `monitor decision ${r.decision} (${r.reasonClass}) at step ${r.step}: ${r.reason}`);
      if (r.decision === 'switch_regime' && r.regime !== undefined) setRegime(r.regime, r.step, r.reason);
    },
    async span(name, attributes, fn) {
      const parent = activeSpan.getStore();
      const ctx = parent === undefined ? ROOT_CONTEXT : trace.setSpan(ROOT_CONTEXT, parent);
      const span = tracer.startSpan(`siamwatch.${name}`, { attributes: { 'siamwatch.run_id': runId, ...attributes } }, ctx);
      try {
        const result = await activeSpan.run(span, fn);
        span.setStatus({ code: SpanStatusCode.OK });
        return result;
      } catch (err) {
        span.recordException(err instanceof Error ? err : String(err));
        span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        span.end();
      }
    },
    async flush() {
      await withTimeout(sdk.forceFlush(), shutdownMs);
    },
    shutdown() {
      closed ??= (async () => {
        await server?.close();
        await withTimeout(sdk.shutdown(), shutdownMs);
        registry.clear();
      })();
      return closed;
    },
  };
}
