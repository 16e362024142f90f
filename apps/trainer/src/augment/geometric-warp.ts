/**
 * Per-sample affine warp (random resized crop + flip + rotation) of an NHWC batch by bilinear
 * sampling, with the sampling positions computed in JS and the pixels fetched by one `tf.gather`.
 *
 * Why not `tf.image.transform`: in tfjs 4.22 its cpu kernel ignores the per-sample transforms of
 * every sample after the first (they come out as fill values; measured: a batch of 2 with a valid
 * second transform gave all zeros on cpu and the right values on wasm), so augmentation would
 * silently depend on the backend. Gather + weighted sum is exact and identical on every backend;
 * it matches the wasm kernel for the `constant` and `nearest` fill modes. `reflect` reflects the
 * integer corner positions (edge pixel repeated), which differs from the kernels within 1 px of
 * the border (they reflect the continuous coordinate and then clamp).
 */
import * as tf from '@tensorflow/tfjs';

/** How sample positions outside the image are filled (as `tf.image.transform`'s fill modes). */
export type FillMode = 'constant' | 'nearest' | 'reflect';

/**
 * Bilinear sampling table: for corner t in 0..3 (top-left, top-right, bottom-left, bottom-right),
 * `index[t]` holds the source pixel (into the flattened `n*h*w` pixels) of every output pixel
 * and `weight[t]` its bilinear weight (0 for positions filled with the constant 0).
 */
export interface WarpTable {
  index: Int32Array[];
  weight: Float32Array[];
}

function mapCoordinate(v: number, size: number, mode: FillMode): number {
  if (v >= 0 && v < size) return v;
  if (mode === 'constant') return -1;
  if (mode === 'nearest') return v < 0 ? 0 : size - 1;
  // reflect (d c b a | a b c d | d c b a): period 2 * size, edge pixel repeated
  const period = 2 * size;
  let r = v % period;
  if (r < 0) r += period;
  return r >= size ? period - 1 - r : r;
}

/**
 * Sampling table for `n` rows of 8 transform values (`tf.image.transform` convention: output
 * pixel (x, y) reads input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1,
 * in pixel-index coordinates) over `h x w` images.
 */
export function warpTable(transforms: Float32Array, n: number, h: number, w: number, mode: FillMode): WarpTable {
  const total = n * h * w;
  const index = [0, 1, 2, 3].map(() => new Int32Array(total));
  const weight = [0, 1, 2, 3].map(() => new Float32Array(total));
  const put = (t: number, o: number, base: number, cx: number, cy: number, wt: number): void => {
    const mx = mapCoordinate(cx, w, mode);
    const my = mapCoordinate(cy, h, mode);
    if (mx >= 0 && my >= 0 && wt !== 0) {
      index[t][o] = base + my * w + mx;
      weight[t][o] = wt;
    } else {
      index[t][o] = base;
    }
  };
  for (let i = 0; i < n; i++) {
    const [a0, a1, a2, b0, b1, b2, c0, c1] = transforms.subarray(i * 8, i * 8 + 8);
    const base = i * h * w;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const k = c0 * x + c1 * y + 1;
        const xin = (a0 * x + a1 * y + a2) / k;
        const yin = (b0 * x + b1 * y + b2) / k;
        const x0 = Math.floor(xin);
        const y0 = Math.floor(yin);
        const fx = xin - x0;
        const fy = yin - y0;
        const o = base + y * w + x;
        if (x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h) {
          const p = base + y0 * w + x0;
          index[0][o] = p;
          index[1][o] = p + 1;
          index[2][o] = p + w;
          index[3][o] = p + w + 1;
          weight[0][o] = (1 - fx) * (1 - fy);
          weight[1][o] = fx * (1 - fy);
          weight[2][o] = (1 - fx) * fy;
          weight[3][o] = fx * fy;
          continue;
        }
        put(0, o, base, x0, y0, (1 - fx) * (1 - fy));
        put(1, o, base, x0 + 1, y0, fx * (1 - fy));
        put(2, o, base, x0, y0 + 1, (1 - fx) * fy);
        put(3, o, base, x0 + 1, y0 + 1, fx * fy);
      }
    }
  }
  return { index, weight };
}

/** Warps `x` (n x h x w x c) by the per-sample `transforms` (n x 8). Call inside `tf.tidy`. */
export function warpImages(x: tf.Tensor4D, transforms: Float32Array, mode: FillMode): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const table = warpTable(transforms, n, h, w, mode);
  const pixels = tf.reshape(x, [n * h * w, c]);
  const terms = table.index.map((index, t) => tf.mul(tf.gather(pixels, tf.tensor1d(index, 'int32')), tf.tensor2d(table.weight[t], [n * h * w, 1])));
  return tf.reshape(tf.addN(terms), [n, h, w, c]);
}
