/**
 * A folder of PNG/JPEG images, one subfolder per class (class = subfolder name, labels in sorted
 * name order): `root/<class>/*.png`, or with a given split `root/train/<class>/...` and
 * `root/test/<class>/...`. Files are read in sorted name order. With `imageSize`, each image is
 * centre-cropped to a square and resized to `imageSize x imageSize`; without it all images must
 * have the same size. Colour: 3 channels if any image has R != G or G != B, else 1 (or forced).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DatasetError } from './dataset-types.ts';
import { IMAGE_EXTENSIONS, isGray, readImage, toChannels } from './decode-image.ts';
import type { RawSplit } from './raw-images.ts';
import { resizeImageInto, squareResizeWeights } from './resize-image.ts';

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).filter((name) => !name.startsWith('.')).sort();
  } catch (error) {
    throw new DatasetError(path, `cannot list the image folder: ${(error as Error).message}`);
  }
}

async function classFolders(root: string): Promise<string[]> {
  const names: string[] = [];
  for (const name of await listDir(root)) if (await isDir(join(root, name))) names.push(name);
  if (names.length === 0) throw new DatasetError(root, 'has no class subfolders (expected <class>/*.png|jpg)');
  return names;
}

interface Decoded {
  rgb: Uint8Array[];
  y: number[];
  gray: boolean;
  size: [number, number];
}

async function decodeFolder(root: string, classes: string[], imageSize: number | undefined, fixed: [number, number] | undefined): Promise<Decoded> {
  const out: Decoded = { rgb: [], y: [], gray: true, size: fixed ?? [0, 0] };
  for (const [label, name] of classes.entries()) {
    const dir = join(root, name);
    if (!(await isDir(dir))) continue;
    const files = (await listDir(dir)).filter((f) => IMAGE_EXTENSIONS.includes(extname(f).toLowerCase()));
    if (files.length === 0) throw new DatasetError(dir, 'class folder has no .png/.jpg/.jpeg images');
    for (const f of files) {
      const file = join(dir, f);
      const image = await readImage(file);
      out.gray &&= isGray(image);
      let rgb = toChannels(image, 3);
      if (imageSize !== undefined) {
        const { rows, cols } = squareResizeWeights(image.height, image.width, imageSize);
        const resized = new Float32Array(imageSize * imageSize * 3);
        resizeImageInto(rgb, 0, image.width, 3, rows, cols, 1, resized, 0, new Float32Array(imageSize * image.width * 3));
        rgb = Uint8Array.from(resized, (v) => Math.min(255, Math.max(0, Math.round(v))));
      } else if (out.size[0] === 0) {
        out.size = [image.height, image.width];
      } else if (out.size[0] !== image.height || out.size[1] !== image.width) {
        throw new DatasetError(file, `is ${image.height}x${image.width} but earlier images are ${out.size[0]}x${out.size[1]}: set imageSize to resize`);
      }
      out.rgb.push(rgb);
      out.y.push(label);
    }
  }
  if (imageSize !== undefined) out.size = [imageSize, imageSize];
  return out;
}

function toSplit(decoded: Decoded, channels: 1 | 3): RawSplit {
  const [h, w] = decoded.size;
  const n = decoded.rgb.length;
  const data = new Uint8Array(n * h * w * channels);
  decoded.rgb.forEach((rgb, k) => {
    if (channels === 3) data.set(rgb, k * h * w * 3);
    else for (let p = 0; p < h * w; p++) data[k * h * w + p] = Math.round(0.299 * rgb[3 * p] + 0.587 * rgb[3 * p + 1] + 0.114 * rgb[3 * p + 2]);
  });
  return { images: { data, n, h, w, c: channels, scale: 1 / 255 }, y: Int32Array.from(decoded.y) };
}

/** Reads an image folder; `test` is undefined unless the folder has `train/` and `test/` subfolders. */
export async function loadImageFolderRaw(
  root: string | undefined,
  imageSize: number | undefined,
  channels: number | undefined,
): Promise<{ train: RawSplit; test: RawSplit | undefined; classNames: string[] }> {
  if (root === undefined) throw new DatasetError('path', 'the images dataset needs path (a folder of class subfolders)');
  if (!(await isDir(root))) throw new DatasetError(root, 'is not a folder');
  if (channels !== undefined && channels !== 1 && channels !== 3) throw new DatasetError('channels', `${String(channels)} must be 1 or 3`);
  const split = (await isDir(join(root, 'train'))) && (await isDir(join(root, 'test')));
  const trainRoot = split ? join(root, 'train') : root;
  const classNames = await classFolders(trainRoot);
  const train = await decodeFolder(trainRoot, classNames, imageSize, undefined);
  let test: Decoded | undefined;
  if (split) {
    const testRoot = join(root, 'test');
    const unknown = (await classFolders(testRoot)).filter((name) => !classNames.includes(name));
    if (unknown.length > 0) throw new DatasetError(join(testRoot, unknown[0]), `test class '${unknown[0]}' has no train folder`);
    test = await decodeFolder(testRoot, classNames, imageSize, imageSize === undefined ? train.size : undefined);
  }
  const c = (channels ?? (train.gray && (test?.gray ?? true) ? 1 : 3)) as 1 | 3;
  return { train: toSplit(train, c), test: test && toSplit(test, c), classNames };
}
