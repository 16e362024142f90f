import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry } from './create-telemetry.ts';
import { OTLP_CONCURRENCY_LIMIT, rateLimitedFailureLog } from './resilient-exporters.ts';
import type { Telemetry, TelemetryLogger } from './telemetry-types.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function recordingLogger(): TelemetryLogger & { warns: string[] } {
  const warns: string[] = [];
  return { warns, info: () => undefined, error: () => undefined, warn: (_f, m) => warns.push(m) };
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: connections are refused. */
async function refusedPort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function errorsOf(t: Telemetry, signal: string): Promise<number> {
  const body = await (await fetch(`${t.url}/metrics`)).text();
  const m = body.match(new RegExp(`^siamwatch_telemetry_exporter_errors_total\\{[^}]*signal="${signal}"[^}]*\\} (\\S+)`, 'm'));
  return m ? Number(m[1]) : Number.NaN;
}

async function until(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Records a burst of steps and spans; returns the 99th percentile and the slowest single recordStep call
 * in ms. A call that waited for an export would take at least the export timeout.
 */
async function burst(t: Telemetry, n: number): Promise<{ p99: number; worst: number }> {
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    t.recordStep({ step: i, loss: -0.8, learningRate: 0.05, imagesPerSecond: 200, durationSeconds: 0.01 });
    times[i] = performance.now() - t0;
    if (i % 100 === 0) await t.span('epoch', { epoch: i / 100 }, () => undefined);
  }
  times.sort();
  return { p99: times[Math.floor(0.99 * n)]!, worst: times[n - 1]! };
}

describe('OTLP push to a broken collector', () => {
  it('refused connections: records never throw or block, errors are counted and logged, shutdown is bounded', async () => {
    const logger = recordingLogger();
    const port = await refusedPort();
    const t = await createTelemetry({
      runId: 'refused',
      port: 0,
      logger,
      otlp: { endpoint: `http://127.0.0.1:${port}`, timeoutMillis: 200, exportIntervalMillis: 300 },
    });
    cleanup.push(() => t.shutdown());
    const { p99, worst } = await burst(t, 5000);
    expect(p99).toBeLessThan(5);
    expect(worst).toBeLessThan(500);
    await t.flush();
    expect(await until(async () => (await errorsOf(t, 'metrics')) >= 1 && (await errorsOf(t, 'traces')) >= 1, 8000)).toBe(true);
    expect(logger.warns.some((w) => w.includes('batch dropped'))).toBe(true);
    const t0 = Date.now();
    await t.shutdown();
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('hanging collector: exports time out, in-flight requests stay bounded, training goes on', async () => {
    const sockets = new Set<Socket>();
    let peak = 0;
    const hang = createServer((s) => {
      sockets.add(s);
      peak = Math.max(peak, sockets.size);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    });
    const port = await listen(hang);
    cleanup.push(async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => hang.close(() => r()));
    });
    const logger = recordingLogger();
    const t = await createTelemetry({
      runId: 'hanging',
      port: 0,
      logger,
      shutdownTimeoutMillis: 1000,
      otlp: { endpoint: `http://127.0.0.1:${port}`, protocol: 'http/json', timeoutMillis: 600, exportIntervalMillis: 600 },
    });
    cleanup.push(() => t.shutdown());
    const { p99, worst } = await burst(t, 5000);
    expect(p99).toBeLessThan(5);
    expect(worst).toBeLessThan(600);
    void t.flush();
    expect(await until(async () => (await errorsOf(t, 'metrics')) >= 2, 8000)).toBe(true);
    await burst(t, 2000);
    // Two signals, each with at most OTLP_CONCURRENCY_LIMIT requests in flight (keep-alive reuses sockets).
    expect(peak).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(2 * OTLP_CONCURRENCY_LIMIT + 2);
    const t0 = Date.now();
    await t.shutdown();
    expect(Date.now() - t0).toBeLessThan(2500);
  });
});

describe('OTLP push to a flaky collector', () => {
  it('retries a 503 with backoff and counts no error when the retry succeeds', async () => {
    const hits: { path: string; status: number; body: string }[] = [];
    const collector = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const status = hits.filter((h) => h.path === req.url).length === 0 ? 503 : 200;
        hits.push({ path: req.url ?? '', status, body });
        res.writeHead(status, { 'Content-Type': 'application/json' }).end('{}');
      });
    });
    const port = await listen(collector as unknown as Server);
    cleanup.push(() => new Promise<void>((r) => collector.close(() => r())));
    const logger = recordingLogger();
    const t = await createTelemetry({
      runId: 'flaky',
      port: 0,
      logger,
      otlp: { endpoint: `http://127.0.0.1:${port}`, protocol: 'http/json', timeoutMillis: 5000, exportIntervalMillis: 60_000 },
    });
    cleanup.push(() => t.shutdown());
    t.recordStep({ step: 1, loss: -0.9, learningRate: 0.05, imagesPerSecond: 10, durationSeconds: 0.1 });
    await t.span('epoch', { epoch: 0 }, () => undefined);
    await t.flush();
    const metricHits = hits.filter((h) => h.path === '/v1/metrics');
    expect(metricHits.map((h) => h.status)).toEqual([503, 200]);
    expect(metricHits[1]!.body).toContain('siamwatch.train.loss');
    expect(hits.filter((h) => h.path === '/v1/traces').map((h) => h.status)).toEqual([503, 200]);
    expect(await errorsOf(t, 'metrics')).toBe(0);
    expect(await errorsOf(t, 'traces')).toBe(0);
    expect(logger.warns).toEqual([]);
  });
});

describe('rateLimitedFailureLog', () => {
  it('logs one line per interval per signal and reports how many were suppressed', () => {
    const calls: Record<string, unknown>[] = [];
    let now = 0;
    const log = rateLimitedFailureLog({ info: () => undefined, error: () => undefined, warn: (f) => calls.push(f) }, 1000, () => now);
    for (let i = 0; i < 10; i++) log('metrics', new Error('ECONNREFUSED'));
    log('traces', undefined);
    now = 1500;
    log('metrics', new Error('timeout'));
    expect(calls).toHaveLength(3);
    expect(calls[2]).toMatchObject({ signal: 'metrics', error: 'timeout', suppressedSinceLastLog: 9 });
    expect(calls[1]).toMatchObject({ signal: 'traces', error: 'unknown error' });
  });
});
