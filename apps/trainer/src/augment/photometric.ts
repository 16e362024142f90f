/**
 * Per-sample photometric augmentations on NHWC float tensors in [0, 1], as torchvision's
 * `ColorJitter` (brightness, contrast, saturation; clamped to [0, 1] after each) and
 * `RandomGrayscale`, with the factors given per sample (`n` values, 1 = unchanged). Gray is the
 * ITU-R 601 luma `0.299 R + 0.587 G + 0.114 B` (the image itself when it has one channel).
 */
import * as tf from '@tensorflow/tfjs';

/** Per-sample factors; `saturation` and `grayscale` only act on 3-channel images. */
export interface PhotometricParams {
  brightness: Float32Array;
  contrast: Float32Array;
  saturation: Float32Array;
  grayscale: Float32Array;
}

/** `n x 1 x 1 x 1` tensor of per-sample values, to broadcast over an image batch. */
export function perSample(values: Float32Array): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

function allEqual(values: Float32Array, v: number): boolean {
  return values.every((x) => x === v);
}

/** Luma of an NHWC batch as `n x h x w x 1`. */
export function luma(x: tf.Tensor4D): tf.Tensor4D {
  if (x.shape[3] === 1) return x;
  return tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), 3, true);
}

/**
 * Brightness (`x * b`), contrast (`(x - mean) * c + mean`, mean of the sample's luma), saturation
 * (`(x - gray) * s + gray`) and grayscale (`gray` for flagged samples), each followed by a clamp.
 * Steps whose factors are all neutral are skipped. Call inside `tf.tidy`.
 */
export function applyPhotometric(x: tf.Tensor4D, p: PhotometricParams): tf.Tensor4D {
  let y = x;
  if (!allEqual(p.brightness, 1)) y = tf.clipByValue(tf.mul(y, perSample(p.brightness)), 0, 1) as tf.Tensor4D;
  if (!allEqual(p.contrast, 1)) {
    const mean = tf.mean(luma(y), [1, 2, 3], true);
    y = tf.clipByValue(tf.add(tf.mul(tf.sub(y, mean), perSample(p.contrast)), mean), 0, 1) as tf.Tensor4D;
  }
  if (y.shape[3] === 3 && !allEqual(p.saturation, 1)) {
    const gray = luma(y);
    y = tf.clipByValue(tf.add(tf.mul(tf.sub(y, gray), perSample(p.saturation)), gray), 0, 1) as tf.Tensor4D;
  }
  if (y.shape[3] === 3 && !allEqual(p.grayscale, 0)) {
    const gray = luma(y);
    y = tf.add(y, tf.mul(tf.sub(gray, y), perSample(p.grayscale))) as tf.Tensor4D;
  }
  return y;
}
