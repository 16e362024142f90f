import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { openEmbeddingSource, readAllRows } from './embedding-source.ts';
import { encodeNpyHeader, writeNpy } from './npy-writer.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npy-writer-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function pseudoRandom(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  });
}

describe('encodeNpyHeader', () => {
  it('writes the exact preamble numpy writes (64-byte aligned, newline-terminated)', () => {
    const header = encodeNpyHeader('<f4', 2, 3);
    const text = new TextDecoder('latin1').decode(header.subarray(10));
    expect(header.length).toBe(128);
    expect(Array.from(header.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    expect(new DataView(header.buffer).getUint16(8, true)).toBe(118);
    expect(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(text.endsWith(' \n')).toBe(true);
  });

  it('uses a 4-byte header length for versions 2.0 and 3.0', () => {
    const header = encodeNpyHeader('<f8', 7, 5, '2.0');
    expect(header[6]).toBe(2);
    expect(new DataView(header.buffer).getUint32(8, true)).toBe(header.length - 12);
  });
});

describe('writeNpy', () => {
  it('round-trips float32 data bit for bit', async () => {
    const data = Float32Array.from(pseudoRandom(7 * 5, 1));
    const path = join(dir, 'f32.npy');
    await writeNpy(path, data, 7, 5);
    const source = await openEmbeddingSource(path);
    expect(source.kind).toBe('matrix');
    if (source.kind !== 'matrix') return;
    expect([source.n, source.d, source.dtype]).toEqual([7, 5, 'float32']);
    expect(await readAllRows(source)).toEqual(data);
  });

  it('round-trips float64 data bit for bit', async () => {
    const data = Float64Array.from(pseudoRandom(4 * 9, 2));
    const path = join(dir, 'f64.npy');
    await writeNpy(path, data, 4, 9, { version: '3.0' });
    const source = await openEmbeddingSource(path);
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    expect(source.dtype).toBe('float64');
    expect(await readAllRows(source)).toEqual(data);
  });

  it('replaces an existing file atomically and leaves no temp file behind', async () => {
    const path = join(dir, 'replace.npy');
    await writeNpy(path, new Float32Array([1, 2]), 1, 2);
    await writeNpy(path, new Float32Array([3, 4, 5, 6]), 2, 2);
    const bytes = await readFile(path);
    expect(bytes.length).toBe(128 + 16);
    expect(new Float32Array(bytes.buffer, bytes.byteOffset + 128, 4)).toEqual(new Float32Array([3, 4, 5, 6]));
    const names = await readdir(dir);
    expect(names.filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('works on a subarray view (writes only the viewed elements)', async () => {
    const backing = new Float32Array([9, 9, 1, 2, 3, 4, 9]);
    const path = join(dir, 'view.npy');
    await writeNpy(path, backing.subarray(2, 6), 2, 2);
    const source = await openEmbeddingSource(path);
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    expect(Array.from(await readAllRows(source))).toEqual([1, 2, 3, 4]);
  });

  it('refuses data whose length does not match the shape, naming both', async () => {
    const path = join(dir, 'bad.npy');
    const error = await writeNpy(path, new Float32Array(5), 2, 3).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingFormatError);
    expect((error as Error).message).toContain('data has 5 elements but shape (2, 3) needs 6');
    await expect(writeNpy(path, new Float32Array(0), 0, 0)).rejects.toThrow('shape (0, 0)');
    expect((await readdir(dir)).includes('bad.npy')).toBe(false);
  });
});
