import { describe, expect, it } from 'vitest';
import { otlpOptionsFromEnv, resolveOtlp } from './otlp-options.ts';
import { TelemetryConfigError } from './record-validation.ts';

describe('otlpOptionsFromEnv', () => {
  it('returns undefined without an endpoint or when the SDK is disabled', () => {
    expect(otlpOptionsFromEnv({})).toBeUndefined();
    expect(otlpOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' })).toBeUndefined();
  });

  it('reads the standard variables', () => {
    const o = otlpOptionsFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-team = ml',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_TIMEOUT: '2500',
      OTEL_METRIC_EXPORT_INTERVAL: '30000',
    });
    expect(o).toEqual({
      endpoint: 'http://collector:4318',
      tracesEndpoint: 'http://tempo:4318/v1/traces',
      headers: { authorization: 'Bearer abc', 'x-team': 'ml' },
      protocol: 'http/json',
      timeoutMillis: 2500,
      exportIntervalMillis: 30000,
    });
    const r = resolveOtlp(o!);
    expect(r.metricsUrl).toBe('http://collector:4318/v1/metrics');
    expect(r.tracesUrl).toBe('http://tempo:4318/v1/traces');
  });

  it('raises a typed error naming the bad value', () => {
    expect(() => otlpOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(
      /OTEL_EXPORTER_OTLP_PROTOCOL.*"grpc"/,
    );
    expect(() => otlpOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' })).toThrow(TelemetryConfigError);
    expect(() => otlpOptionsFromEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c', OTEL_EXPORTER_OTLP_HEADERS: 'novalue' })).toThrow(/"novalue"/);
  });
});

describe('resolveOtlp', () => {
  it('defaults to protobuf, 10 s timeout, 15 s interval', () => {
    const r = resolveOtlp({ endpoint: 'http://127.0.0.1:4318/' });
    expect(r).toMatchObject({ protocol: 'http/protobuf', timeoutMillis: 10000, exportIntervalMillis: 15000 });
    expect(r.metricsUrl).toBe('http://127.0.0.1:4318/v1/metrics');
    expect(resolveOtlp({ endpoint: 'http://x', exportIntervalMillis: 1000 })).toMatchObject({ timeoutMillis: 1000, exportIntervalMillis: 1000 });
  });

  it('rejects non-http endpoints and intervals shorter than the timeout', () => {
    expect(() => resolveOtlp({ endpoint: 'ftp://x' })).toThrow(/"ftp:\/\/x"/);
    expect(() => resolveOtlp({ endpoint: 'not a url' })).toThrow(TelemetryConfigError);
    expect(() => resolveOtlp({ endpoint: 'http://x', timeoutMillis: 500, exportIntervalMillis: 100 })).toThrow(/100/);
  });
});
