/**
 * Per-sample random parameters of one augmented view, drawn on the JS side from an `Rng` (so a
 * view is reproducible and resumable from the Rng state) and later fed to TensorFlow.js as
 * tensors. The geometric part (random resized crop, flip, rotation) becomes one projective
 * transform per sample (in `tf.image.transform`'s convention, applied by `warpImages`).
 */
import type { Rng } from '../util/rng.ts';
import type { AugmentOptions } from './augment-options.ts';

/** A crop rectangle in input pixels (continuous coordinates, top-left origin). */
export interface CropBox {
  x0: number;
  y0: number;
  width: number;
  height: number;
}

/** The parameters of one view of a batch of `n` samples. */
export interface ViewParams {
  n: number;
  crops: CropBox[];
  flips: Uint8Array;
  /** Rotation angles in radians. */
  angles: Float32Array;
  /** `n x 8` projective rows, `tf.image.transform` convention (output pixel -> input pixel). */
  transforms: Float32Array;
  brightness: Float32Array;
  contrast: Float32Array;
  saturation: Float32Array;
  /** 1 where the sample is turned to grayscale. */
  grayscale: Float32Array;
  /** Blur sigma in pixels, 0 for no blur. */
  blurSigma: Float32Array;
  noiseStd: Float32Array;
}

/**
 * Random resized crop (as torchvision's `RandomResizedCrop.get_params`, without rounding): up to
 * 10 tries of area `U(scale) * W * H` and aspect `exp(U(-logRatio, logRatio))` that fit in the
 * image, placed uniformly; else the whole image.
 */
export function drawCrop(rng: Rng, width: number, height: number, scale: [number, number], logRatio: number): CropBox {
  const area = width * height;
  for (let attempt = 0; attempt < 10; attempt++) {
    const target = area * rng.uniform(scale[0], scale[1]);
    const ratio = Math.exp(rng.uniform(-logRatio, logRatio));
    const w = Math.sqrt(target * ratio);
    const h = Math.sqrt(target / ratio);
    if (w <= width && h <= height) return { x0: rng.uniform(0, width - w), y0: rng.uniform(0, height - h), width: w, height: h };
  }
  return { x0: 0, y0: 0, width, height };
}

/**
 * The projective row (`tf.image.transform` convention) mapping output pixel (x, y) of an `outW x outH` view to the input
 * pixel of `crop`, mirrored horizontally when `flip`, rotated by `angle` about the crop centre.
 * Pixel centres are at integer + 0.5 in continuous coordinates.
 */
export function cropTransform(crop: CropBox, flip: boolean, angle: number, outW: number, outH: number): number[] {
  const sx = crop.width / outW;
  const sy = crop.height / outH;
  const f = flip ? -1 : 1;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const u0 = f * (0.5 * sx - crop.width / 2);
  const v0 = 0.5 * sy - crop.height / 2;
  const cx = crop.x0 + crop.width / 2 - 0.5;
  const cy = crop.y0 + crop.height / 2 - 0.5;
  return [cos * f * sx, -sin * sy, cos * u0 - sin * v0 + cx, sin * f * sx, cos * sy, sin * u0 + cos * v0 + cy, 0, 0];
}

/** Draws the parameters of one view of `n` samples of `height x width x channels` images. */
export function drawViewParams(rng: Rng, n: number, height: number, width: number, channels: number, o: AugmentOptions): ViewParams {
  const p: ViewParams = {
    n,
    crops: [],
    flips: new Uint8Array(n),
    angles: new Float32Array(n),
    transforms: new Float32Array(n * 8),
    brightness: new Float32Array(n).fill(1),
    contrast: new Float32Array(n).fill(1),
    saturation: new Float32Array(n).fill(1),
    grayscale: new Float32Array(n),
    blurSigma: new Float32Array(n),
    noiseStd: new Float32Array(n),
  };
  const maxAngle = (o.rotationDegrees * Math.PI) / 180;
  for (let i = 0; i < n; i++) {
    const crop = o.cropScale[0] < 1 || o.cropLogRatio > 0 ? drawCrop(rng, width, height, o.cropScale, o.cropLogRatio) : { x0: 0, y0: 0, width, height };
    const flip = o.flipProbability > 0 && rng.next() < o.flipProbability;
    const angle = maxAngle > 0 ? rng.uniform(-maxAngle, maxAngle) : 0;
    p.crops.push(crop);
    p.flips[i] = flip ? 1 : 0;
    p.angles[i] = angle;
    p.transforms.set(cropTransform(crop, flip, angle, width, height), i * 8);
    if (o.jitterProbability > 0 && rng.next() < o.jitterProbability) {
      p.brightness[i] = rng.uniform(1 - o.brightness, 1 + o.brightness);
      p.contrast[i] = rng.uniform(1 - o.contrast, 1 + o.contrast);
      if (channels === 3) p.saturation[i] = rng.uniform(1 - o.saturation, 1 + o.saturation);
    }
    if (channels === 3 && o.grayscaleProbability > 0 && rng.next() < o.grayscaleProbability) p.grayscale[i] = 1;
    if (o.blurProbability > 0 && rng.next() < o.blurProbability) p.blurSigma[i] = rng.uniform(o.blurSigma[0], o.blurSigma[1]);
    if (o.noiseStd > 0) p.noiseStd[i] = rng.uniform(0, o.noiseStd);
  }
  return p;
}
