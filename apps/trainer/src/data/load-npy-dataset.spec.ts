import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DatasetError } from './dataset-types.ts';
import { loadDataset } from './load-dataset.ts';
import { encodeNpy, parseNpy } from './npy-array.ts';

async function fixture(files: Record<string, Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'npy-'));
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  return dir;
}

describe('npy datasets', () => {
  it('round-trips arrays of every dtype through encodeNpy/parseNpy', () => {
    const u8 = parseNpy(encodeNpy(Uint8Array.from([1, 2, 3, 4, 5, 6]), [1, 2, 3]), 'a');
    expect(u8.shape).toEqual([1, 2, 3]);
    expect(Array.from(u8.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const i8 = parseNpy(encodeNpy(BigInt64Array.from([3n, 0n, 7n]), [3]), 'b');
    expect([i8.descr, Array.from(i8.data)]).toEqual(['<i8', [3, 0, 7]]);
    const f4 = parseNpy(encodeNpy(Float32Array.from([0.5, 0.25]), [2, 1]), 'c');
    expect(f4.data).toBeInstanceOf(Float32Array);
    expect(Array.from(f4.data)).toEqual([0.5, 0.25]);
  });

  it('loads N x H x W uint8 images with int64 labels, split 80/20 per class, resized', async () => {
    const n = 50;
    const images = new Uint8Array(n * 8 * 8);
    for (let i = 0; i < n; i++) images.fill(i % 2 === 0 ? 0 : 255, i * 64, (i + 1) * 64);
    const labels = BigInt64Array.from({ length: n }, (_, i) => BigInt(i % 2));
    const dir = await fixture({ 'x.npy': encodeNpy(images, [n, 8, 8]), 'y.npy': encodeNpy(labels, [n]) });
    const d = await loadDataset({ name: 'npy', path: join(dir, 'x.npy'), labelsPath: join(dir, 'y.npy'), imageSize: 4, seed: 0 });
    expect(d.imageShape).toEqual([4, 4, 1]);
    expect([d.train.n, d.test.n, d.numClasses]).toEqual([40, 10, 2]);
    for (let k = 0; k < d.train.n; k++) expect(d.train.x[k * 16 + 5]).toBe(d.train.y[k] === 1 ? 1 : 0);
  });

  it('loads N x H x W x C float32 images with a separate test file', async () => {
    const x = Float32Array.from({ length: 6 * 2 * 2 * 3 }, (_, i) => (i % 10) / 10);
    const y = Int32Array.from([0, 1, 2, 0, 1, 2]);
    const dir = await fixture({ 'x.npy': encodeNpy(x, [6, 2, 2, 3]), 'y.npy': encodeNpy(y, [6]), 'tx.npy': encodeNpy(x.subarray(0, 24), [2, 2, 2, 3]), 'ty.npy': encodeNpy(y.subarray(0, 2), [2]) });
    const d = await loadDataset({ name: 'npy', path: join(dir, 'x.npy'), labelsPath: join(dir, 'y.npy'), testPath: join(dir, 'tx.npy'), testLabelsPath: join(dir, 'ty.npy'), seed: 0 });
    expect(d.imageShape).toEqual([2, 2, 3]);
    expect([d.train.n, d.test.n, d.numClasses]).toEqual([6, 2, 3]);
    expect(d.train.x[3]).toBeCloseTo(0.3, 6);
  });

  it('raises DatasetError naming the file for truncated data, bad shapes, bad labels and out-of-range floats', async () => {
    const good = encodeNpy(new Uint8Array(4 * 3 * 3), [4, 3, 3]);
    const dir = await fixture({
      'cut.npy': good.subarray(0, good.length - 5),
      'flat.npy': encodeNpy(new Uint8Array(4), [4]),
      'neg.npy': encodeNpy(Int32Array.from([0, 1, -1, 0]), [4]),
      'x.npy': good,
      'big.npy': encodeNpy(Float32Array.from({ length: 36 }, () => 300), [4, 3, 3]),
      'bad.npy': new TextEncoder().encode('not numpy at all'),
    });
    const load = (path: string, labelsPath?: string) => loadDataset({ name: 'npy', path: join(dir, path), labelsPath: labelsPath && join(dir, labelsPath), seed: 0 });
    await expect(load('cut.npy')).rejects.toThrow(/cut\.npy: truncated: shape \(4, 3, 3\) of \|u1 needs 36 data bytes, the file has 31/);
    await expect(load('flat.npy')).rejects.toThrow(/flat\.npy: shape \(4\) is not N x H x W/);
    await expect(load('x.npy', 'neg.npy')).rejects.toThrow(/neg\.npy: label -1 at index 2/);
    await expect(load('big.npy')).rejects.toThrow(/big\.npy: values range over \[300, 300\]/);
    await expect(load('bad.npy')).rejects.toThrow(DatasetError);
    await expect(load('missing.npy')).rejects.toThrow(/missing\.npy: cannot read/);
  });
});
