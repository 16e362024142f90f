import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { detectEmbeddingFormat, openEmbeddingSource, readAllRows } from './embedding-source.ts';
import { writeNpy } from './npy-writer.ts';
import { writeSafetensors } from './safetensors-writer.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'embedding-source-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('openEmbeddingSource', () => {
  it('detects formats from the extension, case-insensitively', () => {
    expect(detectEmbeddingFormat('a/b.NPY')).toBe('npy');
    expect(detectEmbeddingFormat('x.safetensors')).toBe('safetensors');
    expect(detectEmbeddingFormat('s.json')).toBe('json');
    expect(() => detectEmbeddingFormat('emb.csv')).toThrow("emb.csv: extension '.csv' is not supported: use .npy, .safetensors or .json");
  });

  it('gives the same matrix from .npy and .safetensors', async () => {
    const data = Float64Array.from({ length: 12 }, (_, i) => i * 0.25 - 1);
    await writeNpy(join(dir, 'm.npy'), data, 4, 3);
    await writeSafetensors(join(dir, 'm.safetensors'), { m: { dtype: 'F64', shape: [4, 3], data } });
    for (const name of ['m.npy', 'm.safetensors']) {
      const source = await openEmbeddingSource(join(dir, name));
      if (source.kind !== 'matrix') throw new Error('expected a matrix source');
      expect([source.n, source.d, source.dtype, source.storedDtype]).toEqual([4, 3, 'float64', 'float64']);
      expect(await readAllRows(source)).toEqual(data);
      expect(await readAllRows(source)).toEqual(data);
    }
  });

  it('honours a format override', async () => {
    const path = join(dir, 'spectrum.txt');
    await writeFile(path, '[3, 2, 1]');
    const source = await openEmbeddingSource(path, { format: 'json' });
    expect(source.kind).toBe('spectra');
    if (source.kind === 'spectra') expect(Array.from(source.spectra[0]?.singularValues ?? [])).toEqual([3, 2, 1]);
  });

  it('names a missing file and a directory', async () => {
    const missing = join(dir, 'nope.npy');
    const error = await openEmbeddingSource(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingFormatError);
    expect((error as EmbeddingFormatError).code).toBe('unreadable');
    expect((error as Error).message).toBe(`${missing}: cannot open: no such file`);
    await expect(openEmbeddingSource(join(dir, '.'), { format: 'npy' })).rejects.toThrow(EmbeddingFormatError);
  });

  it('reads matrix data lazily: a file replaced after opening fails on iteration', async () => {
    const path = join(dir, 'claims.npy');
    await writeNpy(path, new Float32Array(6), 2, 3);
    const source = await openEmbeddingSource(path);
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    await writeFile(path, 'overwritten');
    await expect(readAllRows(source)).rejects.toThrow('truncated');
  });
});
