import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@siamwatch/telemetry';
import { describe, expect, it } from 'vitest';
import { parseServeLimits } from './serve-options.ts';
import { TEST_TOKEN, gaussianRows, npyBody, post } from './serve-test-helpers.ts';
import { startServe } from './start-serve.ts';

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((ok) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => ok(text));
  });

describe('siamwatch serve with OTLP configured', () => {
  it('pushes each run’s collapse metrics and decisions to the collector named by OTEL_EXPORTER_OTLP_*', async () => {
    const received: { path: string; body: string }[] = [];
    const collector = createServer((req, res) => {
      void bodyOf(req).then((body) => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => collector.listen(0, '127.0.0.1', () => ok()));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const serve = await startServe({
      ...parseServeLimits({}), host: '127.0.0.1', port: 0, token: TEST_TOKEN, logger: silentLogger,
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
    });
    try {
      for (let step = 1; step <= 12; step++) {
        const rows = gaussianRows(64, 16, step, (c) => (step > 4 && c > 0 ? 1e-4 : 1));
        const res = await post(serve.url, `/v1/runs/otlp-run/embeddings?step=${step}&total_steps=100&output=projector&world_size=1&loss=${step > 4 ? -0.999 : -0.3}`, npyBody(rows, 64, 16));
        expect(res.status).toBe(202);
      }
    } finally {
      await serve.close();
      collector.close();
    }
    const metrics = received.filter((r) => r.path === '/v1/metrics').map((r) => r.body).join('\n');
    const traces = received.filter((r) => r.path === '/v1/traces').map((r) => r.body).join('\n');
    expect(metrics).toContain('siamwatch.collapse.spectrum_auc_ratio');
    expect(metrics).toContain('otlp-run');
    expect(traces).toContain('siamwatch.decision');
    expect(traces).toContain('early_stop');
  }, 60_000);
});
