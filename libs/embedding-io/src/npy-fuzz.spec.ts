/**
 * Fuzzing of both `.npy` readers (fast-check): the in-memory `parseNpy` (any rank) and the streaming
 * file path (`openEmbeddingSource` + `readAllRows`). Inputs are valid files with mutated bytes,
 * hostile header dicts (odd dtypes, shapes claiming up to 2^53 elements, broken literals), and random
 * bytes. Every read must return a consistent array or raise `EmbeddingFormatError`, in bounded time
 * and memory. `SIAMWATCH_FUZZ_RUNS` sets the cases per property (`npm run fuzz`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFuzz, byteMutations, readMatrixTyped, fuzzRuns, fuzzTimeoutMillis, hostileDimension, mutateBytes, readTyped } from '@siamwatch/embedding-io/testing';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { openEmbeddingSource } from './embedding-source.ts';
import { parseNpy } from './npy-array.ts';
import { encodeNpy } from './npy-writer.ts';

const RUNS = fuzzRuns(process.env);
const TIMEOUT = fuzzTimeoutMillis(RUNS);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npy-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A valid `.npy` of a random dtype and small shape. */
const validNpy = fc
  .record({
    kind: fc.constantFrom('u8', 'i32', 'i64', 'f32', 'f64'),
    shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }),
    seed: fc.integer(),
  })
  .map(({ kind, shape, seed }) => {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = Array.from({ length: count }, (_, i) => ((seed + i * 7919) % 251) - 100);
    const data =
      kind === 'u8'
        ? Uint8Array.from(values, (v) => v & 0xff)
        : kind === 'i32'
          ? Int32Array.from(values)
          : kind === 'i64'
            ? BigInt64Array.from(values, (v) => BigInt(v))
            : kind === 'f32'
              ? Float32Array.from(values)
              : Float64Array.from(values);
    return encodeNpy(data, shape);
  });

const literalDimension = fc.oneof(
  hostileDimension.map(String),
  fc.constantFrom('-1', '1.5', '2L', 'True', 'None', "'3'", '1e3', '99999999999999999999', '(2,)', '[]'),
);
const shapeText = fc.oneof(
  { weight: 4, arbitrary: fc.array(literalDimension, { maxLength: 5 }).map((dims) => `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`) },
  { weight: 1, arbitrary: fc.constantFrom('(', '((((((', '[1, 2]', 'None', "'(2, 3)'", '{}', `${'('.repeat(64)}${')'.repeat(64)}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);
const descrText = fc.oneof(
  fc.constantFrom("'<f4'", "'<f8'", "'|u1'", "'<i8'", "'<u8'", "'>f4'", "'>i2'", "'<c8'", "'|b1'", "'<U10'", "'|O'", "''", "[('a', '<f4')]", '3', 'None'),
  fc.string({ maxLength: 6 }).map((s) => `'${s.replace(/['\\]/g, '')}'`),
);
const fortranText = fc.constantFrom('False', 'True', '0', 'None', "'False'");

/** A `.npy` whose header dict is assembled from hostile parts, with some data bytes after it. */
const hostileNpy = fc
  .record({
    descr: descrText,
    fortran: fortranText,
    shape: shapeText,
    drop: fc.constantFrom('', 'descr', 'fortran_order', 'shape'),
    extra: fc.constantFrom('', "'__proto__': {'descr': '<f4'}, ", "'x': (1, [2, {'y': None}]), "),
    major: fc.constantFrom(1, 1, 1, 2, 3, 0, 4),
    dataBytes: fc.integer({ min: 0, max: 96 }),
  })
  .map(({ descr, fortran, shape, drop, extra, major, dataBytes }) => {
    const parts = [
      ['descr', descr],
      ['fortran_order', fortran],
      ['shape', shape],
    ].filter(([key]) => key !== drop);
    const dict = `{${extra}${parts.map(([k, v]) => `'${k}': ${v}`).join(', ')}, }`;
    const lengthBytes = major === 1 ? 2 : 4;
    const header = new TextEncoder().encode(`${dict}\n`);
    const out = new Uint8Array(8 + lengthBytes + header.length + dataBytes);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
    const view = new DataView(out.buffer);
    if (lengthBytes === 2) view.setUint16(8, header.length, true);
    else view.setUint32(8, header.length, true);
    out.set(header, 8 + lengthBytes);
    return out;
  });

const anyNpyBytes = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(validNpy, byteMutations, fc.boolean()).map(([base, m, header]) => mutateBytes(base, m, header ? 128 : undefined)) },
  { weight: 3, arbitrary: hostileNpy },
  { weight: 1, arbitrary: validNpy },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 256 }) },
);

describe('fuzzing the .npy readers', () => {
  it(
    'parseNpy returns an array matching its shape or raises EmbeddingFormatError',
    async () => {
      await assertFuzz('npy-parse', anyNpyBytes, async (bytes) => {
        const outcome = await readTyped(() => parseNpy(bytes, 'fuzz.npy'), [EmbeddingFormatError]);
        if (outcome.ok) {
          const { shape, data } = outcome.value;
          expect(data.length).toBe(shape.reduce((a, b) => a * b, 1));
          expect(data.byteLength).toBeLessThanOrEqual(8 * bytes.length);
        }
      }, RUNS);
    },
    TIMEOUT,
  );

  it(
    'the streaming file reader returns n x d rows or raises EmbeddingFormatError',
    async () => {
      const path = join(dir, 'case.npy');
      await assertFuzz('npy-stream', anyNpyBytes, async (bytes) => {
        await writeFile(path, bytes);
        await readMatrixTyped(path);
      }, RUNS);
    },
    TIMEOUT,
  );

  it(
    'refuses headers claiming up to 2^53 elements as truncated, without allocating them',
    async () => {
      const path = join(dir, 'huge.npy');
      const huge = fc
        .tuple(fc.array(hostileDimension, { minLength: 1, maxLength: 4 }), fc.constantFrom('<f4', '<f8', '|u1', '<i8'))
        .filter(([dims]) => dims.reduce((a, b) => a * b, 1) >= 1e6);
      await assertFuzz('npy-huge-shape', huge, async ([dims, descr]) => {
        const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims.join(', ')},), }\n`;
        const bytes = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length, 0, ...new TextEncoder().encode(dict), 1, 2, 3, 4]);
        const inMemory = await readTyped(() => parseNpy(bytes, 'huge.npy'), [EmbeddingFormatError]);
        expect(inMemory.ok ? 'read' : (inMemory.error as EmbeddingFormatError).code).toBe('truncated');
        if (dims.length !== 2 || descr === '|u1' || descr === '<i8') return;
        await writeFile(path, bytes);
        const streamed = await readTyped(() => openEmbeddingSource(path), [EmbeddingFormatError]);
        expect(streamed.ok ? 'read' : (streamed.error as EmbeddingFormatError).code).toBe(dims[1] === 0 ? 'bad-shape' : 'truncated');
      }, Math.max(50, Math.floor(RUNS / 4)));
    },
    TIMEOUT,
  );
});

describe('mutateBytes', () => {
  it('applies every kind of edit, also to an emptied file', () => {
    const base = Uint8Array.from([1, 2, 3, 4]);
    expect(Array.from(mutateBytes(base, [{ kind: 'set', at: 5, value: 9 }]))).toEqual([1, 9, 3, 4]);
    expect(Array.from(mutateBytes(base, [{ kind: 'set', at: 7, value: 9 }], 2))).toEqual([1, 9, 3, 4]);
    expect(Array.from(mutateBytes(base, [{ kind: 'truncate', at: 2 }]))).toEqual([1, 2]);
    expect(Array.from(mutateBytes(base, [{ kind: 'splice', at: 1, bytes: Uint8Array.from([7]) }]))).toEqual([1, 7, 2, 3, 4]);
    const emptied = mutateBytes(base, [
      { kind: 'truncate', at: 0 },
      { kind: 'set', at: 3, value: 1 },
      { kind: 'splice', at: 9, bytes: Uint8Array.from([5, 6]) },
      { kind: 'append', bytes: Uint8Array.from([8]) },
    ]);
    expect(Array.from(emptied)).toEqual([5, 6, 8]);
    expect(Array.from(base)).toEqual([1, 2, 3, 4]);
  });
});
