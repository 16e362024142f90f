/**
 * The standard OpenTelemetry SDK variables, read from the `env` a telemetry is given (the app passes
 * `process.env`; the lib never reads it): `OTEL_SDK_DISABLED`, `OTEL_SERVICE_NAME`,
 * `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_METRICS_EXPORTER`, `OTEL_TRACES_EXPORTER` and, through
 * {@link otlpOptionsFromEnv}, `OTEL_EXPORTER_OTLP_*` and `OTEL_METRIC_EXPORT_INTERVAL`. Pure: no I/O.
 */
import { otlpOptionsFromEnv } from './otlp-options.ts';
import { TelemetryConfigError } from './record-validation.ts';
import type { OtlpOptions } from './telemetry-types.ts';

/** Where OpenTelemetry metrics go: the one `/metrics` endpoint, and/or OTLP push. */
export type MetricsExporterName = 'prometheus' | 'otlp';
/** Where spans go. */
export type TracesExporterName = 'otlp';

/** What the environment asks of the SDK. */
export interface SdkEnvSettings {
  /** `OTEL_SDK_DISABLED=true`: no OpenTelemetry providers, no export (prom-client still serves `/metrics`). */
  disabled: boolean;
  metricsExporters: ReadonlySet<MetricsExporterName>;
  tracesExporters: ReadonlySet<TracesExporterName>;
  /** OTLP settings for the `otlp` exporters (default endpoint `http://localhost:4318` when asked for by name). */
  otlp: OtlpOptions | undefined;
  /** `OTEL_RESOURCE_ATTRIBUTES` then `OTEL_SERVICE_NAME` (which wins for `service.name`). */
  resourceAttributes: Record<string, string>;
  /** Values ignored, e.g. an unsupported exporter name (logged by the caller, as the SDK does). */
  warnings: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

const isTrue = (raw: string | undefined): boolean => (raw ?? '').trim().toLowerCase() === 'true';

function listOf(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== ''))];
}

/**
 * Parses `OTEL_RESOURCE_ATTRIBUTES` (`key=value` pairs separated by commas, values percent-encoded).
 * Raises {@link TelemetryConfigError} naming a malformed pair.
 */
export function resourceAttributesFromEnv(env: Env): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const part of (env['OTEL_RESOURCE_ATTRIBUTES'] ?? '').split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TelemetryConfigError(`OTEL_RESOURCE_ATTRIBUTES: expected key=value pairs, got ${JSON.stringify(part)}`);
    try {
      attributes[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      throw new TelemetryConfigError(`OTEL_RESOURCE_ATTRIBUTES: bad percent-encoding in ${JSON.stringify(part)}`);
    }
  }
  const serviceName = env['OTEL_SERVICE_NAME']?.trim();
  if (serviceName) attributes['service.name'] = serviceName;
  return attributes;
}

/**
 * Reads what the SDK variables ask for. `OTEL_METRICS_EXPORTER` / `OTEL_TRACES_EXPORTER` are comma
 * lists as in every OpenTelemetry SDK (`none` turns the signal off; unknown names are warned about
 * and ignored). Unset, metrics go to `/metrics` (`prometheus`, when `hasPort`) plus OTLP when an
 * `OTEL_EXPORTER_OTLP_*ENDPOINT` is set, and traces go to OTLP when an endpoint is set: unlike the
 * SDK's bare default, nothing is pushed to `localhost:4318` unless asked for. `programmaticOtlp`
 * (the `otlp` option) turns OTLP on for both signals like an endpoint variable would. A malformed
 * `OTEL_RESOURCE_ATTRIBUTES` is discarded with a warning; bad `OTEL_EXPORTER_OTLP_*` values raise
 * {@link TelemetryConfigError} (see {@link otlpOptionsFromEnv}).
 */
export function sdkEnvSettings(env: Env, hasPort: boolean, programmaticOtlp?: OtlpOptions): SdkEnvSettings {
  const warnings: string[] = [];
  let resourceAttributes: Record<string, string>;
  try {
    resourceAttributes = resourceAttributesFromEnv(env);
  } catch (error) {
    // As the specification asks: a malformed OTEL_RESOURCE_ATTRIBUTES is discarded whole and reported.
    warnings.push(`${(error as Error).message}; OTEL_RESOURCE_ATTRIBUTES ignored`);
    resourceAttributes = resourceAttributesFromEnv({ OTEL_SERVICE_NAME: env['OTEL_SERVICE_NAME'] });
  }
  if (isTrue(env['OTEL_SDK_DISABLED'])) {
    return { disabled: true, metricsExporters: new Set(), tracesExporters: new Set(), otlp: undefined, resourceAttributes, warnings };
  }
  const fromEnv = otlpOptionsFromEnv(env);
  const configured = programmaticOtlp ?? fromEnv;
  const metricsNames = listOf(env['OTEL_METRICS_EXPORTER']);
  const metricsExporters = new Set<MetricsExporterName>();
  if (metricsNames.length === 0) {
    if (hasPort) metricsExporters.add('prometheus');
    if (configured !== undefined) metricsExporters.add('otlp');
  } else if (!metricsNames.includes('none')) {
    for (const name of metricsNames) {
      if (name === 'prometheus' || name === 'otlp') metricsExporters.add(name);
      else warnings.push(`OTEL_METRICS_EXPORTER value ${JSON.stringify(name)} is not supported (otlp, prometheus, none); ignored`);
    }
    if (metricsExporters.has('prometheus') && !hasPort) warnings.push('OTEL_METRICS_EXPORTER=prometheus needs a metrics port (--metrics-port); ignored');
    if (!hasPort) metricsExporters.delete('prometheus');
  }
  const tracesNames = listOf(env['OTEL_TRACES_EXPORTER']);
  const tracesExporters = new Set<TracesExporterName>();
  if (tracesNames.length === 0) {
    if (configured !== undefined) tracesExporters.add('otlp');
  } else if (!tracesNames.includes('none')) {
    for (const name of tracesNames) {
      if (name === 'otlp') tracesExporters.add(name);
      else warnings.push(`OTEL_TRACES_EXPORTER value ${JSON.stringify(name)} is not supported (otlp, none); ignored`);
    }
  }
  const pushing = metricsExporters.has('otlp') || tracesExporters.has('otlp');
  const otlp = pushing ? (configured ?? otlpOptionsFromEnv({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:4318' })) : undefined;
  return { disabled: false, metricsExporters, tracesExporters, otlp, resourceAttributes, warnings };
}
