/**
 * Separable image resampling on raw HWC pixel arrays: area averaging when shrinking (28 -> 14 is
 * exactly 2 x 2 average pooling, the downsampling the training notes use for MNIST) and bilinear
 * interpolation (half-pixel centres) when growing. Optional centre crop to a square first.
 */

/** Per output coordinate, `taps` input indices and weights (weights of one output sum to 1). */
export interface AxisWeights {
  outSize: number;
  taps: number;
  index: Int32Array;
  weight: Float32Array;
}

/**
 * Resampling weights for one axis: input range [offset, offset + length) onto `outSize` pixels.
 * Area weights when `outSize < length`, bilinear otherwise.
 */
export function axisWeights(length: number, outSize: number, offset = 0): AxisWeights {
  const scale = length / outSize;
  if (outSize >= length) {
    const index = new Int32Array(outSize * 2);
    const weight = new Float32Array(outSize * 2);
    for (let j = 0; j < outSize; j++) {
      const x = Math.min(Math.max((j + 0.5) * scale - 0.5, 0), length - 1);
      const i0 = Math.floor(x);
      const i1 = Math.min(i0 + 1, length - 1);
      index[2 * j] = offset + i0;
      index[2 * j + 1] = offset + i1;
      weight[2 * j] = 1 - (x - i0);
      weight[2 * j + 1] = x - i0;
    }
    return { outSize, taps: 2, index, weight };
  }
  const taps = Math.ceil(scale) + 1;
  const index = new Int32Array(outSize * taps).fill(offset);
  const weight = new Float32Array(outSize * taps);
  for (let j = 0; j < outSize; j++) {
    const lo = j * scale;
    const hi = (j + 1) * scale;
    let t = 0;
    for (let i = Math.floor(lo); i < Math.min(Math.ceil(hi), length); i++) {
      const overlap = Math.min(i + 1, hi) - Math.max(i, lo);
      if (overlap <= 0) continue;
      index[j * taps + t] = offset + i;
      weight[j * taps + t] = overlap / scale;
      t++;
    }
  }
  return { outSize, taps, index, weight };
}

/** Row and column weights to bring `h x w` images to `size x size`, centre-cropping to a square first. */
export function squareResizeWeights(h: number, w: number, size: number): { rows: AxisWeights; cols: AxisWeights } {
  const side = Math.min(h, w);
  return {
    rows: axisWeights(side, size, Math.floor((h - side) / 2)),
    cols: axisWeights(side, size, Math.floor((w - side) / 2)),
  };
}

/**
 * Resamples one `h x w x c` image starting at `src[srcOffset]`, multiplying by `scale` (e.g.
 * 1/255 for bytes), into `out[outOffset ..]` as `rows.outSize x cols.outSize x c`.
 * `tmp` must hold at least `rows.outSize * w * c` floats.
 */
export function resizeImageInto(
  src: ArrayLike<number>,
  srcOffset: number,
  w: number,
  c: number,
  rows: AxisWeights,
  cols: AxisWeights,
  scale: number,
  out: Float32Array,
  outOffset: number,
  tmp: Float32Array,
): void {
  const rowStride = w * c;
  for (let j = 0; j < rows.outSize; j++) {
    const t0 = j * rowStride;
    tmp.fill(0, t0, t0 + rowStride);
    for (let t = 0; t < rows.taps; t++) {
      const wgt = rows.weight[j * rows.taps + t] * scale;
      if (wgt === 0) continue;
      const s0 = srcOffset + rows.index[j * rows.taps + t] * rowStride;
      for (let k = 0; k < rowStride; k++) tmp[t0 + k] += wgt * src[s0 + k];
    }
  }
  const ow = cols.outSize;
  for (let j = 0; j < rows.outSize; j++) {
    for (let x = 0; x < ow; x++) {
      const o = outOffset + (j * ow + x) * c;
      for (let ch = 0; ch < c; ch++) out[o + ch] = 0;
      for (let t = 0; t < cols.taps; t++) {
        const wgt = cols.weight[x * cols.taps + t];
        if (wgt === 0) continue;
        const s = j * rowStride + cols.index[x * cols.taps + t] * c;
        for (let ch = 0; ch < c; ch++) out[o + ch] += wgt * tmp[s + ch];
      }
    }
  }
}
