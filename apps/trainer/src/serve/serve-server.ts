/**
 * The HTTP side of `siamwatch serve` (node:http): token-checked ingest, decisions, the multi-run `/metrics`,
 * and a live page per run. Every refusal is a JSON error `{ error, code, message }` with its status
 * (400 malformed, 401 token, 404, 409 late step, 413 too large); the server keeps serving.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CollapseMetricsError } from '@siamwatch/collapse-metrics';
import { EmbeddingFormatError } from '@siamwatch/embedding-io';
import { listenHttp, livePageHtml, uplotAssetsFromPackage, type MultiRunMetrics, type TelemetryLogger } from '@siamwatch/telemetry';
import { authorize } from './bearer-token.ts';
import { checkRunName, ingestParamsSchema, lossParamsSchema, parseParams, queryOf } from './ingest-query.ts';
import { readRequestBody } from './request-body.ts';
import { IngestError, ServeConfigError } from './serve-errors.ts';
import type { RunHub } from './run-hub.ts';

/** What {@link startServeServer} needs. */
export interface ServeServerOptions {
  host: string;
  port: number;
  /** Bearer token required on ingest; undefined only on loopback. */
  token: string | undefined;
  maxBodyBytes: number;
  hub: RunHub;
  metrics: MultiRunMetrics;
  logger: TelemetryLogger;
}

/** A listening serve server. */
export interface ServeServer {
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', ...extra });
  res.end(body);
}

const json = (res: ServerResponse, status: number, body: unknown, extra?: Record<string, string>): void =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(body)}\n`, extra);

/** HTTP status of an error thrown while handling a request (500 for anything unexpected). */
export function statusOf(error: unknown): number {
  if (error instanceof IngestError) return error.status;
  if (error instanceof EmbeddingFormatError || error instanceof CollapseMetricsError) return 400;
  return 500;
}

function indexHtml(runs: string[]): string {
  const items = runs.map((r) => `<li><a href="runs/${encodeURIComponent(r)}/">${r}</a> (<a href="v1/runs/${encodeURIComponent(r)}/decision">decision</a>)</li>`);
  return `<!doctype html><meta charset="utf-8"><title>siamwatch serve</title><h1>siamwatch serve</h1><ul>${items.join('') || '<li>no runs yet</li>'}</ul><p><a href="metrics">/metrics</a></p>\n`;
}

/** Starts the server on `host:port` (0 = ephemeral); rejects with ServeConfigError when it cannot bind. */
export async function startServeServer(options: ServeServerOptions): Promise<ServeServer> {
  const { hub, metrics, logger } = options;
  const assets = uplotAssetsFromPackage();

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const parts = url.pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
    const method = req.method ?? 'GET';
    if (parts[0] === 'v1' && parts[1] === 'runs') {
      if (parts.length === 2 && method === 'GET') {
        return json(res, 200, { runs: hub.names().map((r) => ({ run: r, checks: hub.get(r)?.checks ?? 0, decision: hub.get(r)?.decision.decision })) });
      }
      const run = checkRunName(parts[2] ?? '');
      const action = parts[3];
      if (parts.length === 4 && action === 'decision' && method === 'GET') {
        const served = hub.get(run);
        if (served === undefined) throw new IngestError('not-found', `no run named '${run}' (it never posted, or expired)`);
        return json(res, 200, served.decision);
      }
      if (parts.length === 4 && (action === 'embeddings' || action === 'loss')) {
        if (method !== 'POST') throw new IngestError('method-not-allowed', `${url.pathname} takes POST, got ${method}`);
        authorize(req.headers.authorization, options.token);
        if (action === 'loss') {
          const p = parseParams(lossParamsSchema, queryOf(url));
          req.resume();
          await hub.recordLoss(run, p.step, p.rank, p.loss);
          return json(res, 202, { accepted: true, run, step: p.step, rank: p.rank });
        }
        const params = parseParams(ingestParamsSchema, queryOf(url));
        const body = await readRequestBody(req, options.maxBodyBytes);
        const result = await hub.ingest(run, params, body, req.headers['content-type']);
        return json(res, 202, { accepted: true, ...result });
      }
      throw new IngestError('not-found', `no route ${method} ${url.pathname}`);
    }
    if (method !== 'GET' && method !== 'HEAD') throw new IngestError('method-not-allowed', `${url.pathname} takes GET, got ${method}`);
    if (parts.length === 0) return send(res, 200, 'text/html; charset=utf-8', indexHtml(hub.names()));
    if (parts[0] === 'metrics' && parts.length === 1) return send(res, 200, metrics.contentType, await metrics.metrics());
    if (parts[0] === 'healthz' && parts.length === 1) return send(res, 200, 'text/plain', 'ok\n');
    if (parts[0] === 'runs' && parts.length >= 2) {
      const run = checkRunName(parts[1] ?? '');
      const served = hub.get(run);
      if (served === undefined) throw new IngestError('not-found', `no run named '${run}' (it never posted, or expired)`);
      const rest = parts.slice(2).join('/');
      if (rest === '' && !url.pathname.endsWith('/')) return send(res, 301, 'text/plain', 'moved\n', { Location: `${url.pathname}/` });
      if (rest === '') return send(res, 200, 'text/html; charset=utf-8', livePageHtml(run));
      if (rest === 'api/live') return json(res, 200, served.live.snapshot());
      if (rest === 'assets/uplot.js') return send(res, 200, 'text/javascript; charset=utf-8', assets.js);
      if (rest === 'assets/uplot.css') return send(res, 200, 'text/css; charset=utf-8', assets.css);
    }
    throw new IngestError('not-found', `no route ${method} ${url.pathname}`);
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const run = /^\/v1\/runs\/([^/]+)/.exec(url.pathname)?.[1];
    handle(req, res, url).catch((error: unknown) => {
      const status = statusOf(error);
      metrics.recordRejected(run !== undefined && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(run) ? run : undefined, status);
      if (status === 500) logger.error({ error: String(error), url: req.url }, 'serve request failed');
      const err = error instanceof Error ? error : new Error(String(error));
      const body = status === 500 ? { error: 'InternalError', code: 'internal', message: 'internal error (logged)' } : { error: err.name, code: (err as { code?: string }).code ?? 'invalid', message: err.message };
      if (res.headersSent) return void res.end();
      // An unread body (401, 413, early 400) is drained and discarded before the answer: clients that send the
      // whole body before reading (Python's urllib, requests) would otherwise get a broken pipe instead of the
      // status. `requestTimeout` bounds a client that never stops sending.
      if (req.complete) return json(res, status, body);
      req.once('end', () => json(res, status, body));
      req.resume();
    });
  });
  server.requestTimeout = 120_000;
  return listenHttp(server, options.host, options.port, (message) => new ServeConfigError(message));
}
