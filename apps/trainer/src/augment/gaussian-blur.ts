/**
 * Gaussian blur with a different sigma per sample (0 = unchanged), as SimSiam's `GaussianBlur`
 * augmentation: the separable filter of each sample is a pair of small banded matrices (built in
 * JS with reflect borders), applied with two batched matrix products. A per-sample kernel cannot
 * be expressed as one (depthwise) convolution; shifted-copy sums were ~3x slower on wasm.
 */
import * as tf from '@tensorflow/tfjs';

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

/**
 * Per-image blur matrices along an axis of length `size` (reflect borders, `d c b | a b c d`):
 * `m[b][k][j]` is the weight of input position k in output position j for image b (one image
 * per sample and channel, `channels` consecutive copies per sample).
 */
export function blurMatrices(sigmas: Float32Array, channels: number, size: number, radius: number): Float32Array {
  const m = new Float32Array(sigmas.length * channels * size * size);
  sigmas.forEach((sigma, i) => {
    const taps = gaussianTaps(sigma, radius);
    const one = new Float32Array(size * size);
    for (let j = 0; j < size; j++) {
      for (let t = -radius; t <= radius; t++) {
        let k = j + t;
        if (k < 0) k = -k;
        if (k >= size) k = 2 * size - 2 - k;
        one[k * size + j] += taps[t + radius];
      }
    }
    for (let ch = 0; ch < channels; ch++) m.set(one, (i * channels + ch) * size * size);
  });
  return m;
}

/**
 * Blurs sample i of `x` (NHWC) with sigma `sigmas[i]` pixels: two batched matrix products per
 * (sample, channel) image, `K_h^T . X . K_w`. Call inside `tf.tidy`.
 */
export function gaussianBlur(x: tf.Tensor4D, sigmas: Float32Array): tf.Tensor4D {
  const maxSigma = sigmas.reduce((a, b) => Math.max(a, b), 0);
  const [n, h, w, c] = x.shape;
  if (maxSigma <= 0 || Math.min(h, w) < 3) return x;
  const radius = blurRadius(maxSigma, h, w);
  const images = c === 1 ? tf.reshape(x, [n, h, w]) : tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c, h, w]);
  const kw = tf.tensor3d(blurMatrices(sigmas, c, w, radius), [n * c, w, w]);
  const kh = tf.tensor3d(blurMatrices(sigmas, c, h, radius), [n * c, h, h]);
  // rows: out[j] = sum_k kh[k][j] in[k], i.e. kh^T . X; transposing the small kh explicitly is
  // faster on wasm than matMul's transpose flag
  const blurred = tf.matMul(tf.transpose(kh, [0, 2, 1]), tf.matMul(images, kw));
  return c === 1 ? tf.reshape(blurred, [n, h, w, 1]) : tf.transpose(tf.reshape(blurred, [n, c, h, w]), [0, 2, 3, 1]);
}
