/**
 * The two-view augmenter of SimSiam/BYOL training (Chen & He, CVPR 2021): each call to `pair`
 * produces two independently augmented views of a batch, on TensorFlow.js tensors. Per-sample
 * parameters come from an `Rng` (drawn in a fixed order: view 1 then view 2; per sample crop,
 * flip, rotation, jitter, grayscale, blur, noise std; then the noise pixels), so given the Rng
 * state the views are reproducible and a resumed run continues identically.
 *
 * Pipeline per view: random resized crop + flip + rotation as one bilinear warp (`geometric-warp.ts`)
 * -> photometric jitter -> Gaussian blur -> Gaussian noise -> clamp to [0, 1].
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../util/rng.ts';
import { AugmentError, resolveAugmentOptions, type AugmentOptions } from './augment-options.ts';
import { gaussianBlur } from './gaussian-blur.ts';
import { warpImages } from './geometric-warp.ts';
import { applyPhotometric, perSample } from './photometric.ts';
import { drawViewParams, type ViewParams } from './view-params.ts';

/** Produces augmented views of `n x h x w x c` float batches in [0, 1]. */
export interface Augmenter {
  readonly options: Readonly<AugmentOptions>;
  /** [h, w, c] the augmenter was made for. */
  readonly imageShape: readonly [number, number, number];
  /** Two independent views of `x` (new tensors, same shape; `x` is not disposed). */
  pair(x: tf.Tensor4D, rng: Rng): [tf.Tensor4D, tf.Tensor4D];
  /** One augmented view of `x`. */
  view(x: tf.Tensor4D, rng: Rng): tf.Tensor4D;
  /** Draws the parameters `view` would use (exposed for previews and tests). */
  drawParams(n: number, rng: Rng): ViewParams;
  /** Applies given parameters; `noise` holds `n*h*w*c` standard normals when any noise std is > 0. */
  applyParams(x: tf.Tensor4D, params: ViewParams, noise?: Float32Array): tf.Tensor4D;
}

/**
 * Creates an augmenter for images of `imageShape` ([h, w, c], c = 1 or 3); `options` fills in
 * from the `digits` preset. Throws {@link AugmentError} for bad options or mismatching inputs.
 */
export function createAugmenter(options: Partial<AugmentOptions>, imageShape: readonly [number, number, number]): Augmenter {
  const o = resolveAugmentOptions(options);
  const [h, w, c] = imageShape;
  if (![h, w].every((v) => Number.isInteger(v) && v >= 1) || (c !== 1 && c !== 3)) {
    throw new AugmentError(`imageShape [${imageShape.join(', ')}] must be [h, w, 1 or 3]`);
  }
  const checkInput = (x: tf.Tensor4D): void => {
    const [, xh, xw, xc] = x.shape;
    if (x.rank !== 4 || xh !== h || xw !== w || xc !== c) {
      throw new AugmentError(`input shape [${x.shape.join(', ')}] does not match imageShape [${h}, ${w}, ${c}]`);
    }
  };
  const applyParams = (x: tf.Tensor4D, p: ViewParams, noise?: Float32Array): tf.Tensor4D =>
    tf.tidy(() => {
      checkInput(x);
      const n = x.shape[0];
      if (p.n !== n) throw new AugmentError(`params for ${p.n} samples given a batch of ${n}`);
      const identity = p.transforms.every((v, k) => v === [1, 0, 0, 0, 1, 0, 0, 0][k % 8]);
      let y: tf.Tensor4D = identity ? x : warpImages(x, p.transforms, o.fillMode);
      y = applyPhotometric(y, p);
      y = gaussianBlur(y, p.blurSigma);
      if (p.noiseStd.some((s) => s > 0)) {
        if (noise === undefined || noise.length !== n * h * w * c) throw new AugmentError(`noise of length ${noise?.length} for ${n * h * w * c} pixels`);
        y = tf.add(y, tf.mul(tf.tensor4d(noise, [n, h, w, c]), perSample(p.noiseStd)));
      }
      return tf.clipByValue(y, 0, 1);
    });
  const view = (x: tf.Tensor4D, rng: Rng): tf.Tensor4D => {
    checkInput(x);
    const n = x.shape[0];
    const params = drawViewParams(rng, n, h, w, c, o);
    const noise = params.noiseStd.some((s) => s > 0) ? rng.fillNormal(new Float32Array(n * h * w * c)) : undefined;
    return applyParams(x, params, noise);
  };
  return {
    options: o,
    imageShape: [h, w, c],
    pair(x: tf.Tensor4D, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
      const first = view(x, rng);
      return [first, view(x, rng)];
    },
    view,
    drawParams: (n: number, rng: Rng) => drawViewParams(rng, n, h, w, c, o),
    applyParams,
  };
}
