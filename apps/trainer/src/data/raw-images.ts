/**
 * The loaders' intermediate form: images as stored (bytes or floats, NHWC) plus labels, and the
 * one conversion to the `Dataset` form (float32 in [0, 1], optionally resized), applied only to
 * the selected subset so that e.g. 6k of MNIST's 60k images are never converted.
 */
import { DatasetError, type DatasetSplit } from './dataset-types.ts';
import { resizeImageInto, squareResizeWeights } from './resize-image.ts';

/** `n` images of `h x w x c`, NHWC; `value * scale` is in [0, 1]. */
export interface RawImages {
  data: Uint8Array | Float32Array;
  n: number;
  h: number;
  w: number;
  c: number;
  scale: number;
}

/** Images with their labels. */
export interface RawSplit {
  images: RawImages;
  y: Int32Array;
}

/** Checks `imageSize` and returns the output [h, w, c] for `raw`. */
export function outputShape(raw: RawImages, imageSize: number | undefined): [number, number, number] {
  if (imageSize === undefined) return [raw.h, raw.w, raw.c];
  if (!Number.isSafeInteger(imageSize) || imageSize < 1 || imageSize > 4096) {
    throw new DatasetError('imageSize', `${String(imageSize)} must be an integer in [1, 4096]`);
  }
  return [imageSize, imageSize, raw.c];
}

/**
 * Gathers `indices` of `split` into a {@link DatasetSplit}: float32 in [0, 1], resized to
 * `imageSize x imageSize` (centre square crop first if not square) when given.
 */
export function materializeSplit(split: RawSplit, indices: Int32Array, imageSize: number | undefined): DatasetSplit {
  const raw = split.images;
  const [oh, ow, c] = outputShape(raw, imageSize);
  const n = indices.length;
  const x = new Float32Array(n * oh * ow * c);
  const y = new Int32Array(n);
  const srcSize = raw.h * raw.w * c;
  const outSize = oh * ow * c;
  const same = oh === raw.h && ow === raw.w;
  const { rows, cols } = squareResizeWeights(raw.h, raw.w, oh);
  const tmp = new Float32Array(oh * raw.w * c);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    y[k] = split.y[i];
    if (same) {
      const s0 = i * srcSize;
      for (let p = 0; p < srcSize; p++) x[k * outSize + p] = raw.data[s0 + p] * raw.scale;
    } else {
      resizeImageInto(raw.data, i * srcSize, raw.w, c, rows, cols, raw.scale, x, k * outSize, tmp);
    }
  }
  // Float32 rounding of area averages can leave values a hair outside [0, 1].
  for (let p = 0; p < x.length; p++) x[p] = Math.min(1, Math.max(0, x[p]));
  return { x, y, n };
}

/** All indices 0..n-1. */
export function allIndices(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
