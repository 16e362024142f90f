import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { describe, it, expect } from 'vitest';
import { loadDataset } from './load-dataset.ts';

function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const image = new pngjs.PNG({ width, height });
  for (let p = 0; p < width * height; p++) image.data.set([...rgb, 255], 4 * p);
  return pngjs.PNG.sync.write(image);
}

function jpg(width: number, height: number, gray: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([gray, gray, gray, 255], 4 * p);
  return jpeg.encode({ data, width, height }, 95).data;
}

async function folder(layout: Record<string, Uint8Array>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'images-'));
  for (const [path, bytes] of Object.entries(layout)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
  return root;
}

describe('image folders', () => {
  it('reads class subfolders (sorted names = labels), PNG and JPEG, gray -> 1 channel, resized', async () => {
    const layout: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5; i++) {
      layout[`cat/${i}.png`] = png(12, 10, [200, 200, 200]);
      layout[`dog/${i}.jpg`] = jpg(16, 16, 40);
    }
    layout['dog/readme.txt'] = new TextEncoder().encode('ignored');
    const d = await loadDataset({ name: 'images', path: await folder(layout), imageSize: 8, seed: 0 });
    expect(d.classNames).toEqual(['cat', 'dog']);
    expect(d.imageShape).toEqual([8, 8, 1]);
    expect([d.train.n, d.test.n]).toEqual([8, 2]);
    for (let k = 0; k < d.train.n; k++) expect(d.train.x[k * 64 + 20]).toBeCloseTo(d.train.y[k] === 0 ? 200 / 255 : 40 / 255, 1);
  });

  it('keeps colour as 3 channels and uses given train/ and test/ folders', async () => {
    const d = await loadDataset({
      name: 'images',
      path: await folder({ 'train/a/1.png': png(4, 4, [255, 0, 0]), 'train/b/1.png': png(4, 4, [0, 0, 255]), 'test/b/2.png': png(4, 4, [0, 0, 255]) }),
      seed: 0,
    });
    expect(d.imageShape).toEqual([4, 4, 3]);
    expect([d.train.n, d.test.n, d.numClasses]).toEqual([2, 1, 2]);
    expect(Array.from(d.train.x.subarray(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(d.test.y)).toEqual([1]);
    const gray = await loadDataset({ name: 'images', path: await folder({ 'a/1.png': png(4, 4, [255, 0, 0]), 'a/2.png': png(4, 4, [0, 0, 255]) }), channels: 1, testFraction: 0.5, seed: 0 });
    expect(gray.imageShape).toEqual([4, 4, 1]);
    const values = [gray.train.x[0], gray.test.x[0]].map((v) => Math.round(v * 255)).sort((a, b) => a - b);
    expect(values).toEqual([29, 76]); // ITU-R 601 luma of pure blue and pure red
  });

  it('raises DatasetError naming a corrupt file or a size mismatch', async () => {
    const good = png(4, 4, [9, 9, 9]);
    const corrupt = await folder({ 'a/1.png': good, 'a/2.png': good, 'b/1.png': good.subarray(0, 30), 'b/2.png': good });
    await expect(loadDataset({ name: 'images', path: corrupt, seed: 0 })).rejects.toThrow(/b\/1\.png: corrupt or truncated image/);
    const mixed = await folder({ 'a/1.png': good, 'a/2.png': png(5, 4, [9, 9, 9]) });
    await expect(loadDataset({ name: 'images', path: mixed, seed: 0 })).rejects.toThrow(/a\/2\.png: is 4x5 but earlier images are 4x4: set imageSize/);
    await expect(loadDataset({ name: 'images', path: join(mixed, 'nope'), seed: 0 })).rejects.toThrow(/nope: is not a folder/);
  });
});
