import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatToHalf } from './element-decoding.ts';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { openEmbeddingSource, readAllRows } from './embedding-source.ts';
import { writeSafetensors } from './safetensors-writer.ts';

let dir = '';
const emb = Float32Array.from({ length: 6 * 4 }, (_, i) => (i % 5) - 1.25);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'safetensors-tensor-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openError(name: string, tensor?: string): Promise<EmbeddingFormatError> {
  const error = await openEmbeddingSource(join(dir, name), tensor === undefined ? {} : { tensor }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(EmbeddingFormatError);
  return error as EmbeddingFormatError;
}

describe('selecting the embedding tensor of a safetensors file', () => {
  it('picks the only 2-D tensor and streams it', async () => {
    const path = join(dir, 'one.safetensors');
    await writeSafetensors(path, {
      step: { dtype: 'I64', shape: [1], data: new BigInt64Array([5n]) },
      emb: { dtype: 'F32', shape: [6, 4], data: emb },
    });
    const source = await openEmbeddingSource(path);
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    expect([source.format, source.tensor, source.n, source.d, source.dtype]).toEqual(['safetensors', 'emb', 6, 4, 'float32']);
    expect(await readAllRows(source)).toEqual(emb);
  });

  it('picks a tensor by name among several 2-D tensors, and lists them when none is named', async () => {
    const path = join(dir, 'two.safetensors');
    await writeSafetensors(path, {
      backbone: { dtype: 'F64', shape: [3, 2], data: new Float64Array([1, 2, 3, 4, 5, 6]) },
      projector: { dtype: 'F32', shape: [6, 4], data: emb },
    });
    const source = await openEmbeddingSource(path, { tensor: 'backbone' });
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    expect(Array.from(await readAllRows(source))).toEqual([1, 2, 3, 4, 5, 6]);
    const ambiguous = await openError('two.safetensors');
    expect(ambiguous.code).toBe('ambiguous-tensor');
    expect(ambiguous.message).toContain("has 2 2-D tensors: pick one with --tensor; tensors: 'backbone' F64 [3, 2], 'projector' F32 [6, 4]");
    const missing = await openError('two.safetensors', 'head');
    expect(missing.code).toBe('tensor-not-found');
    expect(missing.message).toContain("no tensor named 'head'; tensors: 'backbone'");
  });

  it('refuses files without a 2-D tensor, unsupported dtypes and named non-2-D tensors', async () => {
    await writeSafetensors(join(dir, 'flat.safetensors'), { v: { dtype: 'F32', shape: [4], data: new Float32Array(4) } });
    expect((await openError('flat.safetensors')).message).toContain("has no 2-D tensor; tensors: 'v' F32 [4]");
    expect((await openError('flat.safetensors', 'v')).message).toContain("tensor 'v' has shape [4]: embeddings must be 2-D");
    await writeSafetensors(join(dir, 'int.safetensors'), { ids: { dtype: 'I32', shape: [2, 2], data: new Int32Array(4) } });
    const dtype = await openError('int.safetensors');
    expect(dtype.code).toBe('unsupported-dtype');
    expect(dtype.message).toContain("tensor 'ids' has dtype I32: use F32, F64, F16 or BF16");
  });

  it('streams a tensor that starts mid-file in odd chunk sizes, equal to the whole', async () => {
    const path = join(dir, 'offset.safetensors');
    const big = Float64Array.from({ length: 23 * 5 }, (_, i) => i * 0.5 - 7);
    await writeSafetensors(path, {
      first: { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) },
      second: { dtype: 'F64', shape: [23, 5], data: big },
    });
    const source = await openEmbeddingSource(path);
    if (source.kind !== 'matrix') throw new Error('expected a matrix source');
    for (const chunkRows of [1, 4, 7, 22, 23, 50]) {
      const joined = new Float64Array(23 * 5);
      let rows = 0;
      for await (const chunk of source.chunks(chunkRows)) {
        joined.set(chunk.rows, chunk.offset * 5);
        rows += chunk.n;
      }
      expect(rows).toBe(23);
      expect(joined).toEqual(big);
    }
  });

  it('widens F16 and BF16 tensors to float32', async () => {
    const values = [0, 1, -2, 0.5, 3.25, -0.125];
    const half = Uint16Array.from(values, floatToHalf);
    const bf16 = Uint16Array.from(values, (v) => (new Uint32Array(Float32Array.of(v).buffer)[0] ?? 0) >>> 16);
    await writeSafetensors(join(dir, 'half.safetensors'), {
      h: { dtype: 'F16', shape: [3, 2], data: half },
      b: { dtype: 'BF16', shape: [2, 3], data: bf16 },
    });
    for (const tensor of ['h', 'b']) {
      const source = await openEmbeddingSource(join(dir, 'half.safetensors'), { tensor });
      if (source.kind !== 'matrix') throw new Error('expected a matrix source');
      expect(source.dtype).toBe('float32');
      expect(Array.from(await readAllRows(source))).toEqual(values);
    }
  });
});
