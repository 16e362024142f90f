import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenHttp } from './listen-http.ts';

class BindError extends Error {
  override readonly name = 'BindError';
}

describe('listenHttp', () => {
  it('listens on a free loopback port, names it in the URL, answers, and closes', async () => {
    const server = createServer((_req, res) => res.end('ok'));
    const listening = await listenHttp(server, '127.0.0.1', 0, (m) => new BindError(m));
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${listening.url}/`)).text()).toBe('ok');
    await listening.close();
    expect(server.listening).toBe(false);
  });

  it('a port already in use rejects with the caller\'s typed error naming host and port', async () => {
    const first = await listenHttp(createServer(), '127.0.0.1', 0, (m) => new BindError(m));
    const port = Number(new URL(first.url).port);
    try {
      const attempt = listenHttp(createServer(), '127.0.0.1', port, (m) => new BindError(m));
      await expect(attempt).rejects.toBeInstanceOf(BindError);
      await expect(attempt).rejects.toThrow(`cannot listen on 127.0.0.1:${port}: `);
    } finally {
      await first.close();
    }
  });

  it('shows an IPv6 address in brackets', async () => {
    const listening = await listenHttp(createServer(), '::1', 0, (m) => new BindError(m));
    expect(listening.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
    await listening.close();
  });
});
