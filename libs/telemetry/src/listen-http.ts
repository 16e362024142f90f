/**
 * Starts a `node:http` server listening on `host:port` (port 0: any free port) and returns its URL and a `close`
 * that also ends keep-alive connections. Shared by the telemetry server and `siamwatch serve`: both report a bind
 * failure as their own typed error (`toError`), show an IPv6 address in brackets, and close the same way.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server: its base URL (`http://127.0.0.1:PORT`) and how to stop it. */
export interface ListeningServer {
  url: string;
  close: () => Promise<void>;
}

/** Listens on `host:port`; a bind error (port in use, bad host) rejects with `toError(message)`. */
export async function listenHttp(
  server: Server,
  host: string,
  port: number,
  toError: (message: string) => Error,
): Promise<ListeningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(toError(`cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve());
  });
  const { address, port: bound } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${shown}:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
