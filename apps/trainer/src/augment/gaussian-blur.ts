/**
 * Gaussian blur with a different sigma per sample (0 = unchanged), as SimSiam's `GaussianBlur`
 * augmentation: a separable filter computed as a weighted sum of shifted copies of the
 * reflect-padded batch (one weight tensor per tap), which needs only slice/mul/add kernels
 * (no depthwise convolution, whose wasm backward kernels are missing anyway).
 */
import * as tf from '@tensorflow/tfjs';
import { perSample } from './photometric.ts';

/** Kernel radius used for a batch whose largest sigma is `maxSigma` (capped by the image size). */
export function blurRadius(maxSigma: number, height: number, width: number): number {
  return Math.max(1, Math.min(Math.ceil(2 * maxSigma), Math.floor((Math.min(height, width) - 1) / 2)));
}

/** Normalised 1-D Gaussian taps `[-radius .. radius]` for `sigma` (a unit impulse for sigma 0). */
export function gaussianTaps(sigma: number, radius: number): number[] {
  if (sigma <= 0) return Array.from({ length: 2 * radius + 1 }, (_, t) => (t === radius ? 1 : 0));
  const taps = Array.from({ length: 2 * radius + 1 }, (_, t) => Math.exp(-((t - radius) ** 2) / (2 * sigma * sigma)));
  const sum = taps.reduce((a, b) => a + b, 0);
  return taps.map((v) => v / sum);
}

function blurAxis(x: tf.Tensor4D, weights: tf.Tensor4D[], radius: number, axis: 1 | 2): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const padding: [number, number][] = [[0, 0], [0, 0], [0, 0], [0, 0]];
  padding[axis] = [radius, radius];
  const padded = tf.mirrorPad(x, padding, 'reflect');
  let out: tf.Tensor4D | undefined;
  weights.forEach((weight, t) => {
    const begin: [number, number, number, number] = [0, 0, 0, 0];
    begin[axis] = t;
    const term: tf.Tensor4D = tf.mul(tf.slice(padded, begin, [n, h, w, c]), weight);
    out = out === undefined ? term : (tf.add(out, term) as tf.Tensor4D);
  });
  return out as tf.Tensor4D;
}

/** Blurs sample i of `x` (NHWC) with sigma `sigmas[i]` pixels. Call inside `tf.tidy`. */
export function gaussianBlur(x: tf.Tensor4D, sigmas: Float32Array): tf.Tensor4D {
  const maxSigma = sigmas.reduce((a, b) => Math.max(a, b), 0);
  const [, h, w] = x.shape;
  if (maxSigma <= 0 || Math.min(h, w) < 3) return x;
  const radius = blurRadius(maxSigma, h, w);
  const perTap = Array.from({ length: 2 * radius + 1 }, () => new Float32Array(sigmas.length));
  sigmas.forEach((sigma, i) => gaussianTaps(sigma, radius).forEach((v, t) => (perTap[t][i] = v)));
  const weights = perTap.map((values) => perSample(values));
  return blurAxis(blurAxis(x, weights, radius, 2), weights, radius, 1);
}
