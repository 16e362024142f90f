import { describe, expect, it } from 'vitest';
import { TelemetryConfigError } from './record-validation.ts';
import { resourceAttributesFromEnv, sdkEnvSettings } from './sdk-env.ts';

describe('sdkEnvSettings', () => {
  it('defaults: /metrics with a port, OTLP only when an endpoint is set', () => {
    const bare = sdkEnvSettings({}, true);
    expect([...bare.metricsExporters]).toEqual(['prometheus']);
    expect([...bare.tracesExporters]).toEqual([]);
    expect(bare.otlp).toBeUndefined();
    const pushed = sdkEnvSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, false);
    expect([...pushed.metricsExporters]).toEqual(['otlp']);
    expect([...pushed.tracesExporters]).toEqual(['otlp']);
    expect(pushed.otlp).toMatchObject({ endpoint: 'http://c:4318' });
  });

  it('OTEL_SDK_DISABLED=true turns everything off, even with an endpoint', () => {
    const s = sdkEnvSettings({ OTEL_SDK_DISABLED: 'TRUE', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, true, { endpoint: 'http://p:4318' });
    expect(s).toMatchObject({ disabled: true, otlp: undefined });
    expect(s.metricsExporters.size + s.tracesExporters.size).toBe(0);
  });

  it('reads the exporter lists: none wins, otlp by name pushes to localhost:4318, unknown names are warned about', () => {
    expect(sdkEnvSettings({ OTEL_METRICS_EXPORTER: 'prometheus, none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }, true).metricsExporters.size).toBe(0);
    const named = sdkEnvSettings({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_TRACES_EXPORTER: 'none' }, true);
    expect([...named.metricsExporters]).toEqual(['otlp']);
    expect([...named.tracesExporters]).toEqual([]);
    expect(named.otlp).toMatchObject({ endpoint: 'http://localhost:4318' });
    const odd = sdkEnvSettings({ OTEL_METRICS_EXPORTER: 'console,prometheus', OTEL_TRACES_EXPORTER: 'zipkin' }, false);
    expect(odd.metricsExporters.size).toBe(0);
    expect(odd.warnings.join('\n')).toMatch(/"console" is not supported[\s\S]*needs a metrics port[\s\S]*"zipkin" is not supported/);
  });

  it('discards a malformed OTEL_RESOURCE_ATTRIBUTES whole, with a warning, and keeps OTEL_SERVICE_NAME', () => {
    const s = sdkEnvSettings({ OTEL_RESOURCE_ATTRIBUTES: 'team=ml,broken', OTEL_SERVICE_NAME: 'svc' }, true);
    expect(s.resourceAttributes).toEqual({ 'service.name': 'svc' });
    expect(s.warnings.join('\n')).toContain('"broken"; OTEL_RESOURCE_ATTRIBUTES ignored');
  });

  it('the programmatic otlp option pushes both signals unless the lists say otherwise', () => {
    const s = sdkEnvSettings({ OTEL_TRACES_EXPORTER: 'none' }, false, { endpoint: 'http://p:4318' });
    expect([...s.metricsExporters]).toEqual(['otlp']);
    expect(s.tracesExporters.size).toBe(0);
    expect(s.otlp).toEqual({ endpoint: 'http://p:4318' });
  });
});

describe('resourceAttributesFromEnv', () => {
  it('decodes key=value pairs; OTEL_SERVICE_NAME wins for service.name', () => {
    expect(resourceAttributesFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=a, k8s.pod.name=p%2C1,,x=', OTEL_SERVICE_NAME: 'b' })).toEqual({
      'service.name': 'b',
      'k8s.pod.name': 'p,1',
      x: '',
    });
  });

  it('raises TelemetryConfigError naming a malformed pair', () => {
    expect(() => resourceAttributesFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'novalue' })).toThrow(TelemetryConfigError);
    expect(() => resourceAttributesFromEnv({ OTEL_RESOURCE_ATTRIBUTES: 'a=%zz' })).toThrow(/"a=%zz"/);
  });
});
