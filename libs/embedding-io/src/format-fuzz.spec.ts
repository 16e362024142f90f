/**
 * Fuzzing (fast-check) of the other readers that take outside bytes: safetensors (header and
 * rows, through `openEmbeddingSource`), JSON spectra (`readSpectraJson`) and IDX (`parseIdx`).
 * Inputs are valid files with mutated bytes, hostile headers (offsets and shapes up to 2^53,
 * broken JSON, deep nesting) and random bytes; every read must return a consistent result or
 * raise `EmbeddingFormatError`, in bounded time and memory. `SIAMWATCH_FUZZ_RUNS` sets the cases.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFuzz, byteMutations, readMatrixTyped, fuzzRuns, fuzzTimeoutMillis, hostileDimension, mutateBytes, readTyped } from '@siamwatch/embedding-io/testing';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { parseIdx } from './idx-array.ts';
import { encodeSafetensors } from './safetensors-writer.ts';
import { readSpectraJson } from './spectra-json.ts';

const RUNS = fuzzRuns(process.env);
const TIMEOUT = fuzzTimeoutMillis(RUNS);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'format-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const validSafetensors = fc
  .record({
    dtype: fc.constantFrom('F32', 'F64', 'F16', 'BF16'),
    n: fc.integer({ min: 0, max: 6 }),
    d: fc.integer({ min: 1, max: 5 }),
    extra: fc.boolean(),
  })
  .map(({ dtype, n, d, extra }) => {
    const bytes = dtype === 'F64' ? 8 : dtype === 'F32' ? 4 : 2;
    const tensors: Record<string, { dtype: string; shape: number[]; data: Uint8Array }> = {
      emb: { dtype, shape: [n, d], data: Uint8Array.from({ length: n * d * bytes }, (_, i) => (i * 37) & 0x3f) },
    };
    if (extra) tensors.bias = { dtype: 'I64', shape: [3], data: new Uint8Array(24) };
    return concat(encodeSafetensors(tensors, { note: 'fuzz' }));
  });

const jsonEntry = fc.record(
  {
    dtype: fc.oneof(fc.constantFrom('F32', 'F64', 'F16', 'BF16', 'I64', 'U8', 'X9'), fc.integer().map((v) => v as unknown)),
    shape: fc.oneof(fc.array(hostileDimension, { maxLength: 3 }), fc.jsonValue()),
    data_offsets: fc.oneof(fc.tuple(hostileDimension, hostileDimension), fc.array(fc.integer(), { maxLength: 3 }), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const hostileSafetensors = fc
  .record({
    header: fc.oneof(
      { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('emb', 'other', '__metadata__', '__proto__'), jsonEntry).map((o) => JSON.stringify(o)) },
      { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constant(`${'['.repeat(5000)}${']'.repeat(5000)}`) },
    ),
    claimed: fc.oneof(fc.constant(-1), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })),
    dataBytes: fc.integer({ min: 0, max: 128 }),
  })
  .map(({ header, claimed, dataBytes }) => {
    const text = new TextEncoder().encode(header);
    const prefix = new Uint8Array(8);
    new DataView(prefix.buffer).setBigUint64(0, claimed === -1 ? BigInt(text.length) : claimed, true);
    return concat([prefix, text, new Uint8Array(dataBytes)]);
  });

const anySafetensors = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(validSafetensors, byteMutations, fc.boolean()).map(([base, m, head]) => mutateBytes(base, m, head ? 160 : undefined)) },
  { weight: 3, arbitrary: hostileSafetensors },
  { weight: 1, arbitrary: validSafetensors },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }) },
);

const spectrumDoc = fc.oneof(
  fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 1, maxLength: 8 }),
  fc.record({ singularValues: fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ runs: fc.array(fc.record({ percentOfImagenet: fc.nat(100), singularValues: fc.array(fc.double(), { maxLength: 6 }) }), { maxLength: 3 }) }),
);
const anySpectraText = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(spectrumDoc, byteMutations).map(([doc, m]) => mutateBytes(new TextEncoder().encode(JSON.stringify(doc)), m)) },
  { weight: 2, arbitrary: fc.jsonValue().map((v) => new TextEncoder().encode(JSON.stringify(v))) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 20_000 }).map((k) => new TextEncoder().encode(`${'['.repeat(k)}${']'.repeat(k)}`)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }) },
);

const validIdx = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }).map((dims) => {
  const count = dims.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * dims.length + count);
  out.set([0, 0, 8, dims.length]);
  dims.forEach((v, k) => new DataView(out.buffer).setUint32(4 + 4 * k, v, false));
  return out;
});
const hostileIdx = fc.tuple(fc.array(hostileDimension, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 32 })).map(([dims, data]) => {
  const head = new Uint8Array(4 + 4 * dims.length);
  head.set([0, 0, 8, dims.length]);
  dims.forEach((v, k) => new DataView(head.buffer).setUint32(4 + 4 * k, Math.min(v, 2 ** 32 - 1), false));
  return concat([head, data]);
});
const anyIdx = fc.oneof(
  fc.tuple(validIdx, byteMutations).map(([base, m]) => mutateBytes(base, m, 20)),
  hostileIdx,
  validIdx,
  fc.uint8Array({ maxLength: 64 }),
);

describe('fuzzing the safetensors, JSON spectra and IDX readers', () => {
  it(
    'safetensors: the selected tensor streams n x d rows or EmbeddingFormatError is raised',
    async () => {
      const path = join(dir, 'case.safetensors');
      await assertFuzz('safetensors', anySafetensors, async (bytes) => {
        await writeFile(path, bytes);
        await readMatrixTyped(path, { tensor: 'emb' });
      }, RUNS);
    },
    TIMEOUT,
  );

  it(
    'JSON spectra: finite, non-negative, descending values or EmbeddingFormatError',
    async () => {
      const path = join(dir, 'case.json');
      await assertFuzz('spectra-json', anySpectraText, async (bytes) => {
        await writeFile(path, bytes);
        const outcome = await readTyped(() => readSpectraJson(path), [EmbeddingFormatError]);
        if (!outcome.ok) return;
        for (const { singularValues } of outcome.value) {
          expect(singularValues.length).toBeGreaterThan(0);
          singularValues.forEach((v, i) => {
            expect(Number.isFinite(v) && v >= 0).toBe(true);
            if (i > 0) expect(v).toBeLessThanOrEqual(singularValues[i - 1] ?? Infinity);
          });
        }
      }, RUNS);
    },
    TIMEOUT,
  );

  it(
    'IDX: dims match the data or EmbeddingFormatError is raised, even for headers claiming 2^32-sized dims',
    async () => {
      await assertFuzz('idx', anyIdx, async (bytes) => {
        const outcome = await readTyped(() => parseIdx(bytes, 'fuzz.idx'), [EmbeddingFormatError]);
        if (outcome.ok) expect(outcome.value.data.length).toBe(outcome.value.dims.reduce((a, b) => a * b, 1));
      }, RUNS);
    },
    TIMEOUT,
  );
});
