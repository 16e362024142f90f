/**
 * The user's own images as `.npy` arrays: `N x H x W` or `N x H x W x C` (NHWC), uint8 0-255 or
 * float in [0, 1] (float arrays whose values lie in [0, 255] but exceed 1 are read as 0-255),
 * with labels from a second `.npy` of N non-negative integers (shape `(N,)` or `(N, 1)`).
 */
import { DatasetError } from './dataset-types.ts';
import { readNpy, type NpyArray } from './npy-array.ts';
import type { RawImages, RawSplit } from './raw-images.ts';

function toImages(array: NpyArray, file: string, notes: string[]): RawImages {
  const { shape } = array;
  if (shape.length !== 3 && shape.length !== 4) {
    throw new DatasetError(file, `shape (${shape.join(', ')}) is not N x H x W or N x H x W x C`);
  }
  const [n, h, w, c = 1] = shape;
  if (n < 1 || h < 1 || w < 1) throw new DatasetError(file, `shape (${shape.join(', ')}) has no images`);
  if (c < 1 || c > 4) throw new DatasetError(file, `${c} channels (last axis of shape (${shape.join(', ')})): expected 1 to 4, NHWC`);
  if (array.data instanceof Uint8Array) return { data: array.data, n, h, w, c, scale: 1 / 255 };
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of array.data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo < 0 || hi > 255) {
    throw new DatasetError(file, `values range over [${lo}, ${hi}]: images must be in [0, 1] (float) or [0, 255]`);
  }
  const isFloat = array.descr === '<f4' || array.descr === '<f8';
  const scale = isFloat && hi <= 1 ? 1 : 1 / 255;
  if (isFloat && scale !== 1) notes.push(`${file}: float values up to ${hi} read as 0-255`);
  const data = array.data instanceof Float32Array ? array.data : Float32Array.from(array.data);
  return { data, n, h, w, c, scale };
}

function toLabels(array: NpyArray, file: string, n: number): Int32Array {
  const { shape } = array;
  if (!(shape.length === 1 || (shape.length === 2 && shape[1] === 1))) {
    throw new DatasetError(file, `labels shape (${shape.join(', ')}) is not (N,) or (N, 1)`);
  }
  if (shape[0] !== n) throw new DatasetError(file, `${shape[0]} labels for ${n} images`);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = array.data[i];
    if (!Number.isInteger(v) || v < 0 || v > 1_000_000) throw new DatasetError(file, `label ${v} at index ${i} is not a non-negative integer class id`);
    y[i] = v;
  }
  return y;
}

async function readSplit(imagesFile: string, labelsFile: string | undefined, notes: string[]): Promise<RawSplit> {
  const images = toImages(await readNpy(imagesFile), imagesFile, notes);
  if (labelsFile === undefined) {
    notes.push(`${imagesFile}: no labels file, every label is 0`);
    return { images, y: new Int32Array(images.n) };
  }
  return { images, y: toLabels(await readNpy(labelsFile), labelsFile, images.n) };
}

/** Reads the train (and optional test) `.npy` files; `test` is undefined when no test file is given. */
export async function loadNpyRaw(
  path: string | undefined,
  labelsPath: string | undefined,
  testPath: string | undefined,
  testLabelsPath: string | undefined,
): Promise<{ train: RawSplit; test: RawSplit | undefined; notes: string[] }> {
  if (path === undefined) throw new DatasetError('path', 'the npy dataset needs path (the images .npy)');
  const notes: string[] = [];
  const train = await readSplit(path, labelsPath, notes);
  if (testPath === undefined) return { train, test: undefined, notes };
  const test = await readSplit(testPath, testLabelsPath, notes);
  const a = train.images;
  const b = test.images;
  if (a.h !== b.h || a.w !== b.w || a.c !== b.c) {
    throw new DatasetError(testPath, `test images are ${b.h}x${b.w}x${b.c} but train images (${path}) are ${a.h}x${a.w}x${a.c}`);
  }
  return { train, test, notes };
}
