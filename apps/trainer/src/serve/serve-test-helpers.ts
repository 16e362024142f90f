/**
 * Test helpers of the serve specs (not used at run time): an in-process `siamwatch serve`, `.npy` bodies and a
 * small HTTP client.
 */
import { encodeNpyHeader } from '@siamwatch/embedding-io';
import { silentLogger } from '@siamwatch/telemetry';
import { startServe, type RunningServe } from './start-serve.ts';
import { SERVE_DEFAULTS, parseServeLimits, type ServeLimits } from './serve-options.ts';

/** A token for tests. */
export const TEST_TOKEN = 'test-token-0123456789abcdef';

/** Starts a server on an ephemeral loopback port with `TEST_TOKEN` and default limits overridden by `limits`. */
export function startTestServe(limits: Partial<ServeLimits> = {}, token: string | undefined = TEST_TOKEN): Promise<RunningServe> {
  return startServe({ ...parseServeLimits({}), ...limits, host: SERVE_DEFAULTS.host, port: 0, token, env: {}, logger: silentLogger });
}

/** Little-endian float32 `.npy` bytes of the row-major `n x d` matrix `rows`. */
export function npyBody(rows: ArrayLike<number>, n: number, d: number, descr = '<f4'): Buffer {
  const data = descr === '<f8' ? new Float64Array(Array.from(rows)) : new Float32Array(Array.from(rows));
  return Buffer.concat([encodeNpyHeader(descr, n, d), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** POSTs `body` to `url + path` with the bearer `token` (no Authorization header when null). */
export async function post(url: string, path: string, body: Uint8Array | string, token: string | null = TEST_TOKEN, contentType = 'application/octet-stream'): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = { 'Content-Type': contentType };
  if (token !== null) headers['Authorization'] = `Bearer ${token}`;
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

/** Gaussian `n x d` rows scaled per column by `scale` (deterministic in `seed`). */
export function gaussianRows(n: number, d: number, seed: number, scale: (column: number) => number = () => 1): Float64Array {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 2 ** 32;
  };
  const out = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const g = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = g * scale(i % d);
  }
  return out;
}
