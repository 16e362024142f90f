import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServe } from './start-serve.ts';
import { TEST_TOKEN, gaussianRows, npyBody, post, startTestServe } from './serve-test-helpers.ts';

/**
 * Fuzzes the ingest endpoint: random bytes, mutated valid `.npy` / safetensors bodies, random query strings and
 * tokens must only ever get 2xx, 400, 401, 409 or 413 (never 500, never a hang), and the server keeps serving.
 */
const ALLOWED = new Set([202, 400, 401, 409, 413]);
const valid = npyBody(gaussianRows(16, 8, 3), 16, 8);

const mutated = fc
  .tuple(fc.array(fc.tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat({ max: valid.length }))
  .map(([edits, cut]) => {
    const bytes = Buffer.from(valid.subarray(0, Math.max(cut, 1)));
    for (const [at, value] of edits) if (at < bytes.length) bytes[at] = value;
    return bytes;
  });

const headerMutation = fc
  .record({ descr: fc.constantFrom('<f4', '<f8', '>f4', '<i8', '|u1', "'x"), n: fc.integer({ min: -2, max: 40 }), d: fc.integer({ min: 0, max: 12 }), fortran: fc.boolean() })
  .map(({ descr, n, d, fortran }) => {
    const dict = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${n}, ${d}), }`;
    const header = Buffer.from(dict.padEnd(Math.ceil((dict.length + 11) / 64) * 64 - 11, ' ') + '\n', 'latin1');
    const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
    return Buffer.concat([prefix, header, Buffer.alloc(Math.max(0, n) * d * 4, 1)]);
  });

const safetensorsLike = fc.tuple(fc.nat({ max: 300 }), fc.json()).map(([len, json]) => {
  const head = Buffer.from(json);
  const size = Buffer.alloc(8);
  size.writeBigUInt64LE(BigInt(len));
  return Buffer.concat([size, head]);
});

const body = fc.oneof(fc.uint8Array({ maxLength: 600 }).map((b) => Buffer.from(b)), mutated, headerMutation, safetensorsLike);
const query = fc.record({
  step: fc.oneof(fc.nat({ max: 30 }).map(String), fc.string({ maxLength: 4 })),
  total_steps: fc.constantFrom('100', '0', '-1', 'x'),
  output: fc.constantFrom('backbone', 'projector', 'head', ''),
  rank: fc.constantFrom('0', '1', '7', '-1'),
  loss: fc.constantFrom('-0.5', 'nan', 'inf', ''),
});

describe('ingest endpoint under fuzzing (fast-check)', () => {
  let serve: RunningServe;
  beforeAll(async () => {
    serve = await startTestServe({ maxBodyBytes: 4096, maxStepBytes: 16 * 1024 });
  });
  afterAll(() => serve.close());

  it('answers random and mutated bodies only with 2xx/400/401/409/413 and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(body, query, fc.constantFrom(TEST_TOKEN, TEST_TOKEN, null, 'wrong-token-wrong-token'), fc.constantFrom('application/octet-stream', 'application/x-safetensors', 'application/json'), async (b, q, token, type) => {
        const qs = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '')).toString();
        const res = await post(serve.url, `/v1/runs/fuzz/embeddings?${qs}`, b, token, type);
        expect(ALLOWED.has(res.status), `${res.status} ${JSON.stringify(res.json)}`).toBe(true);
        if (res.status !== 202) expect(typeof res.json['message']).toBe('string');
      }),
      { numRuns: 300, seed: 42 },
    );
    expect((await fetch(`${serve.url}/healthz`)).status).toBe(200);
    const ok = await post(serve.url, '/v1/runs/after-fuzz/embeddings?step=1&total_steps=10&output=backbone', valid);
    expect(ok.status).toBe(202);
  }, 120_000);
});
