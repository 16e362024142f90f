/**
 * A synthetic image dataset whose intrinsic dimension and class structure are known, for tests
 * and for controlled collapse experiments (Li, Efros & Pathak, ECCV 2022 relate collapse to
 * model capacity vs. data complexity; here the data complexity is a dial).
 *
 * Each image is rendered linearly from a latent `z` of dimension `intrinsicDim`:
 *   z = mu_y + withinClassStd * eps,     eps ~ N(0, I)
 *   x = clip(0.5 + gain * A z + noise * eta, 0, 1),   eta ~ N(0, I) per pixel
 * where the class means `mu_y` (centred over classes) are non-zero only in the first `classDim`
 * coordinates, and `A` (pixels x intrinsicDim) has orthonormal, spatially smooth columns
 * (Gaussian-blurred white noise, Gram-Schmidt). `gain` sets the average per-pixel std of the clean
 * image to `pixelStd`. Without noise and clipping, the centred data matrix has rank exactly
 * `intrinsicDim` and its top `classDim` directions separate the classes. Labels are balanced.
 * Everything is drawn from `createRng(deriveSeed(seed, ...))`: same seed, same dataset.
 */
import { createRng, deriveSeed, type Rng } from '../util/rng.ts';
import { DatasetError, type SyntheticOptions } from './dataset-types.ts';
import type { RawSplit } from './raw-images.ts';

/** {@link SyntheticOptions} with defaults filled in and validated. */
export type ResolvedSyntheticOptions = Required<Omit<SyntheticOptions, 'seed'>> & { seed: number; imageSize: number };

/** Default image side of the synthetic data. */
export const DEFAULT_SYNTHETIC_SIZE = 14;
const KEY = 0x5171;

/** Fills defaults and checks ranges; throws {@link DatasetError} naming the field. */
export function resolveSyntheticOptions(o: SyntheticOptions, imageSize: number | undefined, seed: number): ResolvedSyntheticOptions {
  const size = imageSize ?? DEFAULT_SYNTHETIC_SIZE;
  const numClasses = o.numClasses ?? 10;
  const intrinsicDim = o.intrinsicDim ?? 8;
  const r: ResolvedSyntheticOptions = {
    n: o.n ?? 5000,
    nTest: o.nTest ?? 1000,
    numClasses,
    intrinsicDim,
    classDim: o.classDim ?? Math.min(numClasses - 1, intrinsicDim),
    classSeparation: o.classSeparation ?? 1,
    withinClassStd: o.withinClassStd ?? 1,
    noise: o.noise ?? 0.02,
    pixelStd: o.pixelStd ?? 0.12,
    channels: o.channels ?? 1,
    seed: o.seed ?? seed,
    imageSize: size,
  };
  const ints: [string, number, number][] = [['n', r.n, 1], ['nTest', r.nTest, 1], ['numClasses', r.numClasses, 1], ['intrinsicDim', r.intrinsicDim, 1], ['classDim', r.classDim, 0], ['imageSize', size, 2]];
  for (const [name, v, min] of ints) {
    if (!Number.isSafeInteger(v) || v < min) throw new DatasetError(`synthetic.${name}`, `${String(v)} must be an integer >= ${min}`);
  }
  if (r.channels !== 1 && r.channels !== 3) throw new DatasetError('synthetic.channels', `${String(r.channels)} must be 1 or 3`);
  if (r.classDim > r.intrinsicDim) throw new DatasetError('synthetic.classDim', `${r.classDim} exceeds intrinsicDim ${r.intrinsicDim}`);
  if (r.intrinsicDim > size * size * r.channels) {
    throw new DatasetError('synthetic.intrinsicDim', `${r.intrinsicDim} exceeds the ${size * size * r.channels} pixels of a ${size}x${size}x${r.channels} image`);
  }
  for (const name of ['classSeparation', 'withinClassStd', 'noise', 'pixelStd'] as const) {
    if (!(r[name] >= 0 && Number.isFinite(r[name]))) throw new DatasetError(`synthetic.${name}`, `${String(r[name])} must be a finite number >= 0`);
  }
  if (!Number.isSafeInteger(r.seed)) throw new DatasetError('synthetic.seed', `${String(r.seed)} must be an integer`);
  return r;
}

/** `k` orthonormal smooth fields over `size x size x channels` pixels (columns of A, row-major k x P). */
export function smoothBasis(rng: Rng, size: number, channels: number, k: number): Float64Array {
  const P = size * size * channels;
  const sigma = Math.max(0.75, size / 14);
  const radius = Math.ceil(2.5 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, t) => Math.exp(-((t - radius) ** 2) / (2 * sigma * sigma)));
  const basis = new Float64Array(k * P);
  const tmp = new Float64Array(P);
  for (let j = 0; j < k; j++) {
    const v = basis.subarray(j * P, (j + 1) * P);
    for (let attempt = 0; ; attempt++) {
      for (let p = 0; p < P; p++) tmp[p] = rng.normal();
      // separable blur, clamped borders: rows then columns, per channel
      for (const axis of [0, 1]) {
        const src = Float64Array.from(axis === 0 ? tmp : v);
        for (let y = 0; y < size; y++)
          for (let x = 0; x < size; x++)
            for (let ch = 0; ch < channels; ch++) {
              let s = 0;
              for (let t = -radius; t <= radius; t++) {
                const yy = axis === 0 ? Math.min(size - 1, Math.max(0, y + t)) : y;
                const xx = axis === 1 ? Math.min(size - 1, Math.max(0, x + t)) : x;
                s += kernel[t + radius] * src[(yy * size + xx) * channels + ch];
              }
              v[(y * size + x) * channels + ch] = s;
            }
      }
      for (let i = 0; i < j; i++) {
        const u = basis.subarray(i * P, (i + 1) * P);
        let dot = 0;
        for (let p = 0; p < P; p++) dot += u[p] * v[p];
        for (let p = 0; p < P; p++) v[p] -= dot * u[p];
      }
      const norm = Math.sqrt(v.reduce((a, b) => a + b * b, 0));
      if (norm > 1e-6) {
        for (let p = 0; p < P; p++) v[p] /= norm;
        break;
      }
      if (attempt > 10) throw new DatasetError('synthetic.intrinsicDim', `${k} smooth directions do not fit a ${size}x${size}x${channels} image`);
    }
  }
  return basis;
}

/** Generates train (`n`) and test (`nTest`) splits for resolved options. */
export function generateSynthetic(o: ResolvedSyntheticOptions): { train: RawSplit; test: RawSplit } {
  const { imageSize: size, channels, intrinsicDim: k, numClasses: K } = o;
  const P = size * size * channels;
  const basis = smoothBasis(createRng(deriveSeed(o.seed, KEY, 0)), size, channels, k);
  const meanRng = createRng(deriveSeed(o.seed, KEY, 1));
  const means = new Float64Array(K * k);
  for (let c = 0; c < K; c++) for (let j = 0; j < o.classDim; j++) means[c * k + j] = meanRng.normal() * o.classSeparation * o.withinClassStd;
  let total = 0;
  for (let j = 0; j < k; j++) {
    let m = 0;
    for (let c = 0; c < K; c++) m += means[c * k + j] / K;
    let v = o.withinClassStd ** 2;
    for (let c = 0; c < K; c++) {
      means[c * k + j] -= m;
      v += means[c * k + j] ** 2 / K;
    }
    total += v;
  }
  const gain = total > 0 ? o.pixelStd * Math.sqrt(P / total) : 0;
  const split = (n: number, stream: number): RawSplit => {
    const rng = createRng(deriveSeed(o.seed, KEY, stream));
    const y = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i % K));
    const data = new Float32Array(n * P);
    const z = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) z[j] = means[y[i] * k + j] + o.withinClassStd * rng.normal();
      const row = data.subarray(i * P, (i + 1) * P);
      row.fill(0.5);
      for (let j = 0; j < k; j++) {
        const a = gain * z[j];
        for (let p = 0; p < P; p++) row[p] += a * basis[j * P + p];
      }
      for (let p = 0; p < P; p++) row[p] = Math.min(1, Math.max(0, row[p] + (o.noise > 0 ? o.noise * rng.normal() : 0)));
    }
    return { images: { data, n, h: size, w: size, c: channels, scale: 1 }, y };
  };
  return { train: split(o.n, 2), test: split(o.nTest, 3) };
}
