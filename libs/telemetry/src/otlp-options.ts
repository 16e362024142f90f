import { TelemetryConfigError } from './record-validation.ts';
import type { OtlpOptions, OtlpProtocol } from './telemetry-types.ts';

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];

/** OTLP settings with every default filled in and both signal URLs resolved. */
export interface ResolvedOtlp {
  metricsUrl: string;
  tracesUrl: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  timeoutMillis: number;
  exportIntervalMillis: number;
}

function parseHeaders(raw: string, variable: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TelemetryConfigError(`${variable}: expected key=value pairs, got ${JSON.stringify(part)}`);
    headers[decodeURIComponent(part.slice(0, eq).trim())] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return headers;
}

function positiveMillis(raw: string | undefined, variable: string): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new TelemetryConfigError(`${variable} must be a positive number of ms, got ${JSON.stringify(raw)}`);
  return v;
}

/**
 * Reads the standard OpenTelemetry variables (`OTEL_EXPORTER_OTLP_ENDPOINT`, `..._METRICS_ENDPOINT`,
 * `..._TRACES_ENDPOINT`, `..._HEADERS`, `..._PROTOCOL`, `..._TIMEOUT`, `OTEL_METRIC_EXPORT_INTERVAL`,
 * `OTEL_SDK_DISABLED`) from `env` (the app passes `process.env`). Returns undefined when no endpoint is set
 * or the SDK is disabled. Pure: no I/O.
 */
export function otlpOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): OtlpOptions | undefined {
  if ((env['OTEL_SDK_DISABLED'] ?? '').trim().toLowerCase() === 'true') return undefined;
  const base = env['OTEL_EXPORTER_OTLP_ENDPOINT']?.trim() || undefined;
  const metrics = env['OTEL_EXPORTER_OTLP_METRICS_ENDPOINT']?.trim() || undefined;
  const traces = env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT']?.trim() || undefined;
  if (base === undefined && metrics === undefined && traces === undefined) return undefined;
  const options: OtlpOptions = { endpoint: base ?? 'http://localhost:4318' };
  if (metrics !== undefined) options.metricsEndpoint = metrics;
  if (traces !== undefined) options.tracesEndpoint = traces;
  const headers = env['OTEL_EXPORTER_OTLP_HEADERS'];
  if (headers !== undefined && headers.trim() !== '') options.headers = parseHeaders(headers, 'OTEL_EXPORTER_OTLP_HEADERS');
  const protocol = env['OTEL_EXPORTER_OTLP_PROTOCOL']?.trim();
  if (protocol !== undefined && protocol !== '') {
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      throw new TelemetryConfigError(`OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`);
    }
    options.protocol = protocol as OtlpProtocol;
  }
  const timeout = positiveMillis(env['OTEL_EXPORTER_OTLP_TIMEOUT'], 'OTEL_EXPORTER_OTLP_TIMEOUT');
  if (timeout !== undefined) options.timeoutMillis = timeout;
  const interval = positiveMillis(env['OTEL_METRIC_EXPORT_INTERVAL'], 'OTEL_METRIC_EXPORT_INTERVAL');
  if (interval !== undefined) options.exportIntervalMillis = interval;
  return options;
}

function checkUrl(url: string, what: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TelemetryConfigError(`${what} is not a URL: ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TelemetryConfigError(`${what} must be http(s), got ${JSON.stringify(url)}`);
  }
  return url;
}

/**
 * Validates `options` and fills defaults (protobuf, 10 s timeout or the interval if shorter, 15 s interval,
 * `/v1/<signal>` paths).
 */
export function resolveOtlp(options: OtlpOptions): ResolvedOtlp {
  const base = checkUrl(options.endpoint, 'otlp.endpoint').replace(/\/+$/, '');
  const protocol = options.protocol ?? 'http/protobuf';
  if (!PROTOCOLS.includes(protocol)) throw new TelemetryConfigError(`otlp.protocol must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`);
  // An interval set alone caps the default timeout (as the SDK does for OTEL_METRIC_EXPORT_INTERVAL).
  const timeoutMillis = options.timeoutMillis ?? Math.min(10_000, options.exportIntervalMillis ?? 10_000);
  const exportIntervalMillis = options.exportIntervalMillis ?? Math.max(15_000, timeoutMillis);
  if (!(timeoutMillis > 0)) throw new TelemetryConfigError(`otlp.timeoutMillis must be > 0, got ${timeoutMillis}`);
  if (!(exportIntervalMillis >= timeoutMillis)) {
    throw new TelemetryConfigError(`otlp.exportIntervalMillis (${exportIntervalMillis}) must be >= timeoutMillis (${timeoutMillis})`);
  }
  return {
    metricsUrl: checkUrl(options.metricsEndpoint ?? `${base}/v1/metrics`, 'otlp.metricsEndpoint'),
    tracesUrl: checkUrl(options.tracesEndpoint ?? `${base}/v1/traces`, 'otlp.tracesEndpoint'),
    headers: { ...(options.headers ?? {}) },
    protocol,
    timeoutMillis,
    exportIntervalMillis,
  };
}
