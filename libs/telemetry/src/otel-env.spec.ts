/**
 * The standard OTEL_* variables, for real: a telemetry is created with them in `env` (as the CLI
 * passes `process.env`), its `/metrics` is scraped and an in-test OTLP/HTTP receiver on 127.0.0.1
 * records what is pushed.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { metrics } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry } from './create-telemetry.ts';
import type { Telemetry, TelemetryOptions } from './telemetry-types.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

interface Push {
  path: string;
  body: string;
}

/** An OTLP/HTTP receiver that answers 200 to every POST and keeps what it got. */
async function receiver(): Promise<{ endpoint: string; pushes: Push[] }> {
  const pushes: Push[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushes.push({ path: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  return { endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, pushes };
}

async function start(options: Partial<TelemetryOptions> & { env: TelemetryOptions['env'] }): Promise<Telemetry> {
  const t = await createTelemetry({ runId: 'env-run', ...options });
  cleanup.push(() => t.shutdown());
  return t;
}

async function exercise(t: Telemetry): Promise<void> {
  t.recordStep({ step: 1, loss: -0.5, learningRate: 0.05, imagesPerSecond: 100, durationSeconds: 0.01 });
  await t.span('epoch', { epoch: 1 }, () => undefined);
  await t.flush();
}

const scrape = async (t: Telemetry): Promise<string> => (await fetch(`${t.url}/metrics`)).text();
const paths = (pushes: Push[]): string[] => [...new Set(pushes.map((p) => p.path))].sort();

describe('the standard OTEL_* variables', () => {
  it('OTEL_SDK_DISABLED=true: no OpenTelemetry series or push, prom-client still serves /metrics', async () => {
    const rx = await receiver();
    const t = await start({ port: 0, env: { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: rx.endpoint, OTEL_METRIC_EXPORT_INTERVAL: '100' } });
    await exercise(t);
    await new Promise((r) => setTimeout(r, 300));
    const body = await scrape(t);
    expect(body).toMatch(/^process_cpu_user_seconds_total\{run_id="env-run"\} /m);
    expect(body).not.toContain('siamwatch_train_loss');
    expect(body).not.toContain('target_info');
    expect(rx.pushes).toEqual([]);
  });

  it('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES appear in target_info; NodeSDK holds the global meter provider until shutdown', async () => {
    const t = await start({ port: 0, env: { OTEL_SERVICE_NAME: 'lab-trainer', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=lab,team=ml%20infra' } });
    expect(metrics.getMeterProvider()).toBeInstanceOf(MeterProvider);
    await exercise(t);
    const info = (await scrape(t)).split('\n').find((l) => l.startsWith('target_info{')) ?? '';
    expect(info).toContain('service_name="lab-trainer"');
    expect(info).toContain('deployment_environment="lab"');
    expect(info).toContain('team="ml infra"');
    expect(info).toContain('siamwatch_run_id="env-run"');
    expect(info).toContain('telemetry_sdk_language="nodejs"');
    await t.shutdown();
    expect(metrics.getMeterProvider()).not.toBeInstanceOf(MeterProvider);
  });

  it('OTEL_EXPORTER_OTLP_ENDPOINT: metrics and traces are pushed to the receiver (http/json shows the resource)', async () => {
    const rx = await receiver();
    const t = await start({
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: rx.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'pushed', OTEL_METRIC_EXPORT_INTERVAL: '200' },
    });
    expect(t.url).toBeUndefined();
    await exercise(t);
    expect(paths(rx.pushes)).toEqual(['/v1/metrics', '/v1/traces']);
    const metricsBody = rx.pushes.find((p) => p.path === '/v1/metrics')?.body ?? '';
    expect(metricsBody).toContain('siamwatch.train.loss');
    expect(metricsBody).toContain('"pushed"');
  });

  it('OTEL_METRICS_EXPORTER=none: no OpenTelemetry metrics anywhere, traces still pushed', async () => {
    const rx = await receiver();
    const t = await start({ port: 0, env: { OTEL_METRICS_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: rx.endpoint, OTEL_METRIC_EXPORT_INTERVAL: '100' } });
    await exercise(t);
    const body = await scrape(t);
    expect(body).not.toContain('siamwatch_train_loss');
    expect(body).toMatch(/^nodejs_heap_size_used_bytes\{run_id="env-run"\} /m);
    expect(paths(rx.pushes)).toEqual(['/v1/traces']);
  });

  it('OTEL_METRICS_EXPORTER=prometheus: series on /metrics only; =otlp: pushed only', async () => {
    const rx = await receiver();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: rx.endpoint, OTEL_TRACES_EXPORTER: 'none', OTEL_METRIC_EXPORT_INTERVAL: '100' };
    const prom = await start({ port: 0, env: { ...env, OTEL_METRICS_EXPORTER: 'prometheus' } });
    await exercise(prom);
    expect(await scrape(prom)).toContain('siamwatch_train_loss{run_id="env-run"} -0.5');
    await prom.shutdown();
    expect(rx.pushes).toEqual([]);

    const otlp = await start({ port: 0, env: { ...env, OTEL_METRICS_EXPORTER: 'otlp' } });
    await exercise(otlp);
    expect(await scrape(otlp)).not.toContain('siamwatch_train_loss');
    expect(paths(rx.pushes)).toEqual(['/v1/metrics']);
  });

  it('warns about unsupported exporter names and ignores them', async () => {
    const warns: string[] = [];
    const t = await start({ port: 0, env: { OTEL_METRICS_EXPORTER: 'console,prometheus' }, logger: { info: () => undefined, error: () => undefined, warn: (_f, m) => warns.push(m) } });
    await exercise(t);
    expect(warns.join('\n')).toContain('OTEL_METRICS_EXPORTER value "console" is not supported');
    expect(await scrape(t)).toContain('siamwatch_train_loss');
  });
});
