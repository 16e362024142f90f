import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collapseMetrics } from '@siamwatch/collapse-metrics';
import { EmbeddingFormatError, encodeNpyHeader, openEmbeddingSource } from '@siamwatch/embedding-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '@siamwatch/telemetry';
import { startServe, type RunningServe } from './start-serve.ts';
import { parseServeLimits } from './serve-options.ts';
import { ServeConfigError } from './serve-errors.ts';
import { TEST_TOKEN, gaussianRows, npyBody, post, startTestServe } from './serve-test-helpers.ts';

const ingest = (run: string, q: string) => `/v1/runs/${run}/embeddings?${q}`;

describe('siamwatch serve: refusals', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startTestServe({ maxBodyBytes: 64 * 1024, maxStepBytes: 100 * 1024 });
  });
  afterAll(() => serve.close());

  it('401 for a missing or wrong token, 202 with the right one', async () => {
    const body = npyBody(gaussianRows(16, 8, 1), 16, 8);
    const q = 'step=1&total_steps=10&output=backbone';
    const missing = await post(serve.url, ingest('auth', q), body, null);
    expect(missing).toMatchObject({ status: 401, json: { error: 'IngestError', code: 'unauthorized' } });
    expect((await post(serve.url, ingest('auth', q), body, 'x'.repeat(30))).status).toBe(401);
    expect((await post(serve.url, ingest('auth', q), body, TEST_TOKEN)).json).toMatchObject({ accepted: true, run: 'auth', step: 1, rows: 16 });
  });

  it('413 for a body over the request limit and for a run step over the per-run limit, then keeps serving', async () => {
    const big = npyBody(gaussianRows(2100, 8, 2), 2100, 8);
    const tooBig = await post(serve.url, ingest('big', 'step=1&total_steps=10&output=backbone'), big);
    expect(tooBig.status).toBe(413);
    expect(String(tooBig.json['message'])).toMatch(/exceeds the limit of 65536 bytes per request/);
    const part = npyBody(gaussianRows(1000, 8, 3), 1000, 8);
    const statuses: number[] = [];
    for (let rank = 0; rank < 4; rank++) statuses.push((await post(serve.url, ingest('big', `step=2&total_steps=10&output=backbone&rank=${rank}`), part)).status);
    expect(statuses).toEqual([202, 202, 202, 413]);
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
  });

  it('answers 413 and 401 to a client that sends its whole body before reading (like Python urllib)', async () => {
    const rawPost = (token: string) =>
      new Promise<string>((ok, fail) => {
        const body = Buffer.alloc(8 * 1024 * 1024, 7);
        const { port } = new URL(serve.url);
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`POST /v1/runs/raw/embeddings?step=1&total_steps=10&output=backbone HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Length: ${body.length}\r\n\r\n`);
          socket.write(body, (error) => {
            if (error) return fail(error);
            written = true;
            if (answer.includes('\r\n\r\n{')) socket.end();
          });
        });
        let answer = '';
        let written = false;
        socket.on('data', (c: Buffer) => {
          answer += c.toString();
          if (written && answer.includes('\r\n\r\n{')) socket.end();
        });
        socket.on('end', () => (written ? ok(answer) : fail(new Error(`connection ended before the body was sent: ${answer.slice(0, 40)}`))));
        socket.on('error', fail);
      });
    expect(await rawPost(TEST_TOKEN)).toMatch(/^HTTP\/1\.1 413 /);
    expect(await rawPost('wrong-token-wrong-token')).toMatch(/^HTTP\/1\.1 401 /);
  });

  it('400 for a malformed .npy, with the message siamwatch analyze prints for the same bytes', async () => {
    const data = Buffer.alloc(4 * 8 * 8);
    const bad = Buffer.concat([encodeNpyHeader('<i8', 4, 8), data]);
    const res = await post(serve.url, ingest('bad', 'step=1&total_steps=10&output=backbone'), bad);
    expect(res.status).toBe(400);
    const file = join(mkdtempSync(join(tmpdir(), 'serve-bad-')), 'x.npy');
    writeFileSync(file, bad);
    const analyzeError = await openEmbeddingSource(file).catch((e: unknown) => e);
    expect(analyzeError).toBeInstanceOf(EmbeddingFormatError);
    const fromAnalyze = (analyzeError as Error).message.replace(`${file}: `, '');
    expect(res.json).toEqual({ error: 'EmbeddingFormatError', code: 'unsupported-dtype', message: `request body: ${fromAnalyze}` });
    expect(fromAnalyze).toMatch(/descr '<i8' is not supported/);
    const truncated = await post(serve.url, ingest('bad', 'step=1&total_steps=10&output=backbone'), npyBody(gaussianRows(4, 8, 1), 4, 8).subarray(0, 150));
    expect(truncated).toMatchObject({ status: 400, json: { code: 'truncated' } });
  });

  it('400 naming the parameter for a bad query, NaN rows or a changed dimension; 409 for a step already checked', async () => {
    const body = npyBody(gaussianRows(8, 4, 1), 8, 4);
    expect((await post(serve.url, ingest('q', 'step=x&total_steps=10&output=backbone'), body)).json['message']).toBe("query parameter step: expected an integer >= 0, got 'x'");
    expect((await post(serve.url, ingest('q', 'step=1&output=backbone'), body)).json['message']).toBe('query parameter total_steps is required');
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=head'), body)).status).toBe(400);
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10'), body)).json['message']).toMatch(/output is required for an \.npy body/);
    expect((await post(serve.url, ingest('bad%20name', 'step=1&total_steps=10&output=backbone'), body)).json['code']).toBe('bad-run');
    const nan = gaussianRows(8, 4, 2);
    nan[13] = Number.NaN;
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=backbone'), npyBody(nan, 8, 4))).json['message']).toBe('request body: backbone row 3, column 1 is NaN');
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=backbone&rank=0'), body)).status).toBe(202);
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=backbone&rank=1&method=byol'), body)).json['message']).toBe("query parameter method: run q is simsiam, got 'byol'");
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=backbone&rank=1'), npyBody(gaussianRows(8, 5, 1), 8, 5))).json['code']).toBe('dimension-changed');
    expect((await post(serve.url, ingest('q', 'step=2&total_steps=10&output=backbone'), body)).status).toBe(202);
    expect((await post(serve.url, ingest('q', 'step=1&total_steps=10&output=backbone'), body)).status).toBe(409);
    expect((await fetch(`${serve.url}/v1/runs/nope/decision`)).status).toBe(404);
  });

  it('refuses to start on a non-loopback host without a token', async () => {
    await expect(startServe({ ...parseServeLimits({}), host: '0.0.0.0', port: 0, token: undefined, env: {}, logger: silentLogger })).rejects.toThrow(ServeConfigError);
  });
});

describe('siamwatch serve: monitoring', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startTestServe({ runTtlMs: 60_000 });
  });
  afterAll(() => serve.close());

  it('merges the ranks of a step into one spectrum, equal to the spectrum of all their rows', async () => {
    const n = 64;
    const d = 12;
    const rows = gaussianRows(4 * n, d, 7, (c) => 1 / (c + 1));
    for (let rank = 0; rank < 4; rank++) {
      const part = rows.subarray(rank * n * d, (rank + 1) * n * d);
      const res = await post(serve.url, ingest('merge', `step=5&total_steps=50&output=backbone&rank=${rank}&world_size=4&loss=-0.5`), npyBody(part, n, d, '<f8'));
      expect(res.status).toBe(202);
    }
    const decision = (await (await fetch(`${serve.url}/v1/runs/merge/decision`)).json()) as Record<string, unknown>;
    expect(decision).toMatchObject({ run: 'merge', decision: 'continue', step: 5, totalSteps: 50, checks: 1 });
    const live = (await (await fetch(`${serve.url}/runs/merge/api/live`)).json()) as { collapse: { backbone: { series: { auc: number[] } } } };
    const expected = collapseMetrics(rows, 4 * n, d).auc;
    expect(live.collapse.backbone.series.auc[0]).toBeCloseTo(expected, 9);
  });

  it('a sketch (column sums, Gram, n, normalised sums) merges exactly like the rows it summarises', async () => {
    const n = 50;
    const d = 6;
    const rows = gaussianRows(2 * n, d, 9, (c) => (c < 2 ? 3 : 0.5));
    const sketchOf = (part: Float64Array) => {
      const sum = new Array<number>(d).fill(0);
      const gram = new Array<number>(d * d).fill(0);
      const normalizedSum = new Array<number>(d).fill(0);
      const normalizedSquareSum = new Array<number>(d).fill(0);
      for (let r = 0; r < n; r++) {
        const row = part.subarray(r * d, (r + 1) * d);
        const norm = Math.hypot(...row);
        for (let i = 0; i < d; i++) {
          sum[i]! += row[i]!;
          normalizedSum[i]! += row[i]! / norm;
          normalizedSquareSum[i]! += (row[i]! / norm) ** 2;
          for (let j = 0; j < d; j++) gram[i * d + j]! += row[i]! * row[j]!;
        }
      }
      return JSON.stringify({ n, sum, gram, normalizedSum, normalizedSquareSum });
    };
    await post(serve.url, ingest('sketch', 'step=1&total_steps=10&output=projector&rank=0&world_size=2'), npyBody(rows.subarray(0, n * d), n, d, '<f8'));
    const res = await post(serve.url, ingest('sketch', 'step=1&total_steps=10&output=projector&rank=1&world_size=2'), sketchOf(rows.subarray(n * d)), TEST_TOKEN, 'application/json');
    expect(res.status).toBe(202);
    const live = (await (await fetch(`${serve.url}/runs/sketch/api/live`)).json()) as { collapse: { projector: { series: { auc: number[]; normalizedOutputStd: number[] } } } };
    const all = collapseMetrics(rows, 2 * n, d);
    expect(live.collapse.projector.series.auc[0]).toBeCloseTo(all.auc, 9);
    expect(live.collapse.projector.series.normalizedOutputStd[0]).toBeCloseTo(all.normalizedStd, 9);
    const bad = await post(serve.url, ingest('sketch', 'step=2&total_steps=10&output=projector'), JSON.stringify({ n: 3, sum: [1, 2], gram: [1], normalizedSum: [0, 0], normalizedSquareSum: [0, 0] }), TEST_TOKEN, 'application/json');
    expect(bad).toMatchObject({ status: 400, json: { code: 'bad-sketch', message: 'sketch field gram: expected 4 numbers (d x d for d = 2), got 1' } });
  });

  it('stops a collapsing run: early-stop in the decision, run and rank labels on /metrics, a live page per run', async () => {
    const d = 16;
    for (let step = 1; step <= 16; step++) {
      const collapsed = step > 5;
      const rows = gaussianRows(64, d, step, (c) => (collapsed && c > 0 ? 1e-4 : 1));
      for (const rank of [0, 1]) {
        const loss = collapsed ? -0.999 : -0.3;
        const res = await post(serve.url, ingest('collapse', `step=${step * 10}&total_steps=200&output=projector&rank=${rank}&world_size=2&loss=${loss}`), npyBody(rows, 64, d));
        expect(res.status).toBe(202);
      }
    }
    const decision = (await (await fetch(`${serve.url}/v1/runs/collapse/decision`)).json()) as Record<string, unknown>;
    expect(decision['decision']).toBe('early-stop');
    expect(decision['onsetState']).toBe('collapsing');
    expect(decision['forecast']).toMatchObject({ level: 0.9 });
    const metrics = await (await fetch(`${serve.url}/metrics`)).text();
    expect(metrics).toMatch(/siamwatch_collapse_spectrum_auc_ratio\{run_id="collapse",run="collapse",output="projector"\} 0\.9/);
    expect(metrics).toContain('siamwatch_train_loss{run_id="collapse",run="collapse",rank="1"} -0.999');
    expect(metrics).toMatch(/siamwatch_monitor_decisions_total\{run_id="collapse",run="collapse",decision="early_stop",reason_class="complete_collapse"\} \d+/);
    expect(metrics).not.toMatch(/step="/);
    const page = await fetch(`${serve.url}/runs/collapse/`);
    expect(await page.text()).toContain('<script src="assets/uplot.js"></script>');
    expect((await fetch(`${serve.url}/runs/collapse/assets/uplot.js`)).status).toBe(200);
  });

  it('forgets runs idle past the TTL: their series leave /metrics', async () => {
    const short = await startTestServe({ runTtlMs: 300, stepTimeoutMs: 100 });
    try {
      expect((await post(short.url, ingest('old', 'step=1&total_steps=10&output=backbone&world_size=1'), npyBody(gaussianRows(8, 4, 1), 8, 4))).status).toBe(202);
      expect(await (await fetch(`${short.url}/metrics`)).text()).toContain('run="old"');
      await new Promise((r) => setTimeout(r, 700));
      expect(await (await fetch(`${short.url}/metrics`)).text()).not.toContain('run="old"');
      expect((await fetch(`${short.url}/v1/runs/old/decision`)).status).toBe(404);
    } finally {
      await short.close();
    }
  });
});

describe('siamwatch serve: step order', () => {
  it('checks steps in step order when the ranks of a later step arrive first, and refuses none', async () => {
    const serve = await startTestServe();
    try {
      const body = npyBody(gaussianRows(16, 4, 1), 16, 4);
      const q = (step: number, rank: number) => ingest('order', `step=${step}&total_steps=10&output=backbone&rank=${rank}&world_size=2`);
      expect((await post(serve.url, q(1, 0), body)).status).toBe(202);
      expect((await post(serve.url, q(2, 0), body)).status).toBe(202);
      expect((await post(serve.url, q(2, 1), body)).json).toMatchObject({ checks: 0 });
      expect((await post(serve.url, q(1, 1), body)).json).toMatchObject({ accepted: true, checks: 2 });
      const live = (await (await fetch(`${serve.url}/runs/order/api/live`)).json()) as { collapse: { backbone: { series: { step: number[] } } } };
      expect(live.collapse.backbone.series.step).toEqual([1, 2]);
    } finally {
      await serve.close();
    }
  });
});
