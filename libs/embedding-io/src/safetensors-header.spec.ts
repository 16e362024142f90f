import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { readSafetensorsHeader } from './safetensors-header.ts';
import { encodeSafetensors, writeSafetensors } from './safetensors-writer.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safetensors-header-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file with a hand-written JSON header and `dataBytes` zero bytes of data. */
function rawSafetensors(header: string, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

async function headerError(name: string, bytes: Uint8Array): Promise<EmbeddingFormatError> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const error = await readSafetensorsHeader(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EmbeddingFormatError);
  expect((error as Error).message).toContain(path);
  return error as EmbeddingFormatError;
}

describe('readSafetensorsHeader', () => {
  it('lists tensors with absolute offsets and metadata', async () => {
    const path = join(dir, 'two.safetensors');
    await writeSafetensors(
      path,
      {
        bias: { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) },
        emb: { dtype: 'F64', shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) },
      },
      { format: 'pt' },
    );
    const header = await readSafetensorsHeader(path);
    expect(header.dataStart % 8).toBe(0);
    expect(header.metadata).toEqual({ format: 'pt' });
    expect(header.tensors.map((t) => [t.name, t.dtype, t.shape, t.start - header.dataStart, t.byteLength])).toEqual([
      ['bias', 'F32', [3], 0, 12],
      ['emb', 'F64', [2, 2], 12, 32],
    ]);
  });

  it('refuses data offsets beyond the data section', async () => {
    const error = await headerError('oob.safetensors', rawSafetensors('{"x":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}', 8));
    expect(error.code).toBe('bad-offsets');
    expect(error.message).toContain("tensor 'x': data_offsets [0, 16] are out of range: the data section has 8 bytes");
  });

  it('refuses offsets whose span does not match dtype x shape', async () => {
    const error = await headerError('span.safetensors', rawSafetensors('{"x":{"dtype":"F32","shape":[2,3],"data_offsets":[0,16]}}', 16));
    expect(error.code).toBe('bad-offsets');
    expect(error.message).toContain('span 16 bytes but F32 [2, 3] needs 24');
  });

  it('refuses reversed offsets', async () => {
    const error = await headerError('rev.safetensors', rawSafetensors('{"x":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}', 8));
    expect(error.code).toBe('bad-offsets');
  });

  it('refuses corrupt JSON', async () => {
    const error = await headerError('json.safetensors', rawSafetensors('{"x":{"dtype":"F32",', 8));
    expect(error.code).toBe('bad-header');
    expect(error.message).toContain('corrupt JSON header');
  });

  it('refuses a header length larger than the file', async () => {
    const bytes = rawSafetensors('{}', 0);
    new DataView(bytes.buffer).setBigUint64(0, 123456789n, true);
    const error = await headerError('len.safetensors', bytes);
    expect(error.message).toContain('header length 123456789 exceeds the file size 10');
  });

  it('refuses files too short for the length prefix and malformed entries', async () => {
    expect((await headerError('short.safetensors', new Uint8Array(5))).message).toContain('5 bytes is too short');
    const shape = await headerError('shape.safetensors', rawSafetensors('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4));
    expect(shape.message).toContain('shape [-1] is not a list of non-negative integers');
    const dtype = await headerError('dtype.safetensors', rawSafetensors('{"x":{"dtype":7,"shape":[1],"data_offsets":[0,4]}}', 4));
    expect(dtype.message).toContain('dtype 7 is not a string');
  });

  it('encodes a header that starts the data 8-byte aligned', () => {
    const parts = encodeSafetensors({ a: { dtype: 'F32', shape: [1], data: new Float32Array([1]) } });
    const length = Number(new DataView((parts[0] as Uint8Array).buffer).getBigUint64(0, true));
    expect((8 + length) % 8).toBe(0);
    expect(JSON.parse(new TextDecoder().decode(parts[1]))).toEqual({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } });
  });
});
