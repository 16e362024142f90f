import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { listenHttp } from './listen-http.ts';
import { TelemetryConfigError } from './record-validation.ts';
import type { TelemetryLogger } from './telemetry-types.ts';

/** What the server serves; each producer is called per request. */
export interface TelemetryRoutes {
  /** Prometheus text exposition (OpenTelemetry + prom-client). */
  metrics(): Promise<string>;
  metricsContentType: string;
  /** JSON body of `/api/live`. */
  live(): unknown;
  /** HTML of `/`. */
  page(): string;
}

/** A listening telemetry server. */
export interface TelemetryServer {
  url: string;
  close(): Promise<void>;
}

let uplotAssets: { js: string; css: string } | undefined;

/** uPlot's IIFE build and stylesheet from the installed `uplot` package (read once, served locally, no CDN). */
export function uplotAssetsFromPackage(): { js: string; css: string } {
  if (uplotAssets === undefined) {
    const dist = dirname(createRequire(import.meta.url).resolve('uplot'));
    uplotAssets = {
      js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
    };
  }
  return uplotAssets;
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * Starts one node:http server on `host:port` (port 0 = ephemeral) serving `/metrics`, `/` (live page),
 * `/api/live`, `/assets/uplot.{js,css}` and `/healthz`. Rejects with {@link TelemetryConfigError} when the
 * address cannot be bound.
 */
export async function startTelemetryServer(
  host: string,
  port: number,
  routes: TelemetryRoutes,
  logger: TelemetryLogger,
): Promise<TelemetryServer> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TelemetryConfigError(`port must be an integer in 0-65535, got ${String(port)}`);
  }
  const assets = uplotAssetsFromPackage();
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed\n');
    switch (path) {
      case '/metrics':
        return send(res, 200, routes.metricsContentType, await routes.metrics());
      case '/api/live':
        return send(res, 200, 'application/json; charset=utf-8', JSON.stringify(routes.live()));
      case '/':
        return send(res, 200, 'text/html; charset=utf-8', routes.page());
      case '/assets/uplot.js':
        return send(res, 200, 'text/javascript; charset=utf-8', assets.js);
      case '/assets/uplot.css':
        return send(res, 200, 'text/css; charset=utf-8', assets.css);
      case '/healthz':
        return send(res, 200, 'text/plain', 'ok\n');
      default:
        return send(res, 404, 'text/plain', `not found: ${path}\n`);
    }
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ error: String(err), url: req.url }, 'telemetry server request failed');
      if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      else res.end();
    });
  });
  const listening = await listenHttp(server, host, port, (message) => new TelemetryConfigError(message));
  server.unref();
  return listening;
}
