import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { streamNpyRows } from './embedding-source.ts';
import { readNpyHeader } from './npy-header.ts';
import { writeNpy } from './npy-writer.ts';
import { checkChunkRows, defaultChunkRows, DEFAULT_CHUNK_BYTES, streamRows, type RowChunk } from './row-chunks.ts';

const n = 101;
const d = 7;
const data = Float32Array.from({ length: n * d }, (_, i) => Math.sin(i) * 10 + i / 100);
let dir = '';
let path = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'row-chunks-'));
  path = join(dir, 'm.npy');
  await writeNpy(path, data, n, d);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<RowChunk>): Promise<RowChunk[]> {
  const out: RowChunk[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

describe('streamRows', () => {
  it.each([1, 2, 3, 10, 13, 100, 101, 1000])('chunks of %i rows concatenate to the whole matrix', async (chunkRows) => {
    const chunks = await collect(streamNpyRows(path, chunkRows));
    expect(chunks.length).toBe(Math.ceil(n / chunkRows));
    const joined = new Float32Array(n * d);
    let expectedOffset = 0;
    for (const chunk of chunks) {
      expect(chunk.offset).toBe(expectedOffset);
      expect(chunk.rows.length).toBe(chunk.n * d);
      expect(chunk.n).toBeLessThanOrEqual(chunkRows);
      joined.set(chunk.rows, chunk.offset * d);
      expectedOffset += chunk.n;
    }
    expect(expectedOffset).toBe(n);
    expect(joined).toEqual(data);
  });

  it('gives each chunk its own buffer (earlier chunks stay valid)', async () => {
    const chunks = await collect(streamNpyRows(path, 10));
    expect(Array.from(chunks[0]?.rows.subarray(0, 3) ?? [])).toEqual(Array.from(data.subarray(0, 3)));
    expect(chunks[0]?.rows.buffer).not.toBe(chunks[1]?.rows.buffer);
  });

  it('raises a truncated error when the file shrinks after its header was read', async () => {
    const shrinking = join(dir, 'shrink.npy');
    await writeNpy(shrinking, data, n, d);
    const header = await readNpyHeader(shrinking);
    await truncate(shrinking, header.dataOffset + 50 * d * 4 + 3);
    const layout = { dataOffset: header.dataOffset, n, d, dtype: header.dtype };
    const error = await collect(streamRows(shrinking, layout, 16)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingFormatError);
    expect((error as EmbeddingFormatError).code).toBe('truncated');
    expect((error as Error).message).toContain('shape (101, 7) of float32');
  });

  it('refuses non-positive or fractional chunk sizes, naming the value', async () => {
    expect(() => checkChunkRows(0)).toThrow('chunkRows 0 is not a positive integer');
    expect(() => checkChunkRows(2.5)).toThrow('chunkRows 2.5');
    await expect(collect(streamNpyRows(path, -3))).rejects.toThrow(EmbeddingFormatError);
  });

  it('defaults to about 4 MiB per chunk and at least one row', () => {
    expect(defaultChunkRows(512, 'float32')).toBe(DEFAULT_CHUNK_BYTES / 2048);
    expect(defaultChunkRows(1e7, 'float64')).toBe(1);
  });
});
