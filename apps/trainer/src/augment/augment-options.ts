/**
 * Options of the two-view augmentation pipeline of SimSiam/BYOL (Chen & He, CVPR 2021; Grill et
 * al., NeurIPS 2020), with presets: `digits` (the cheap setting that made SimSiam work on MNIST
 * 14x14 on one CPU core: crop area 0.3-1, log-aspect +-0.15, rotation +-15 degrees,
 * brightness/contrast 0.3, noise <= 0.05, no flip, no blur) and `natural` (SimSiam's ImageNet
 * recipe: crop area 0.2-1, log-aspect +-ln(4/3), flip 0.5, colour jitter 0.4/0.4/0.4 with p 0.8,
 * grayscale 0.2, blur 0.5 with sigma 0.1-2 px).
 */

/** Everything the augmenter randomises, per sample. */
export interface AugmentOptions {
  /** Random resized crop: area fraction range of the crop (`[1, 1]` = no crop). */
  cropScale: [number, number];
  /** Random resized crop: log aspect ratio drawn uniformly from [-cropLogRatio, cropLogRatio]. */
  cropLogRatio: number;
  /** Maximum absolute rotation in degrees (0 = none), uniform. */
  rotationDegrees: number;
  /** Probability of a horizontal flip (0 for digits). */
  flipProbability: number;
  /** Probability that colour jitter is applied to a sample. */
  jitterProbability: number;
  /** Brightness factor uniform in [1 - b, 1 + b] (multiplies the image). */
  brightness: number;
  /** Contrast factor uniform in [1 - c, 1 + c] (scales deviations from the image mean). */
  contrast: number;
  /** Saturation factor uniform in [1 - s, 1 + s] (3-channel images only). */
  saturation: number;
  /** Probability of converting a 3-channel sample to grayscale. */
  grayscaleProbability: number;
  /** Probability of a Gaussian blur. */
  blurProbability: number;
  /** Blur sigma range in pixels of the image being augmented. */
  blurSigma: [number, number];
  /** Gaussian pixel noise: per-sample std uniform in [0, noiseStd]. */
  noiseStd: number;
  /** How pixels from outside the image are filled after crop/rotation. */
  fillMode: 'constant' | 'nearest' | 'reflect';
}

/** Raised for invalid augmentation options or inputs; the message names the bad value. */
export class AugmentError extends Error {
  override readonly name = 'AugmentError';
}

/** The cheap digits setting (the default). */
export const DIGITS_AUGMENT: Readonly<AugmentOptions> = Object.freeze({
  cropScale: [0.3, 1] as [number, number],
  cropLogRatio: 0.15,
  rotationDegrees: 15,
  flipProbability: 0,
  jitterProbability: 1,
  brightness: 0.3,
  contrast: 0.3,
  saturation: 0,
  grayscaleProbability: 0,
  blurProbability: 0,
  blurSigma: [0.1, 1] as [number, number],
  noiseStd: 0.05,
  fillMode: 'constant' as const,
});

/**
 * SimSiam's ImageNet recipe. Blur sigma is in pixels of the augmented image (SimSiam: 0.1-2 at
 * 224 px); for small images lower `blurSigma` or `blurProbability`.
 */
export const NATURAL_AUGMENT: Readonly<AugmentOptions> = Object.freeze({
  cropScale: [0.2, 1] as [number, number],
  cropLogRatio: Math.log(4 / 3),
  rotationDegrees: 0,
  flipProbability: 0.5,
  jitterProbability: 0.8,
  brightness: 0.4,
  contrast: 0.4,
  saturation: 0.4,
  grayscaleProbability: 0.2,
  blurProbability: 0.5,
  blurSigma: [0.1, 2] as [number, number],
  noiseStd: 0,
  fillMode: 'reflect' as const,
});

/** Named presets. */
export const AUGMENT_PRESETS = { digits: DIGITS_AUGMENT, natural: NATURAL_AUGMENT } as const;

function probability(name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) throw new AugmentError(`${name} ${String(v)} must be in [0, 1]`);
}

function nonNegative(name: string, v: number, max = Infinity): void {
  if (!(v >= 0 && v <= max)) throw new AugmentError(`${name} ${String(v)} must be in [0, ${max}]`);
}

/** Fills `partial` from the `digits` preset (or `base`) and validates; throws {@link AugmentError}. */
export function resolveAugmentOptions(partial: Partial<AugmentOptions> = {}, base: Readonly<AugmentOptions> = DIGITS_AUGMENT): AugmentOptions {
  const o: AugmentOptions = { ...base, ...partial, cropScale: [...(partial.cropScale ?? base.cropScale)], blurSigma: [...(partial.blurSigma ?? base.blurSigma)] };
  const [lo, hi] = o.cropScale;
  if (!(lo > 0 && lo <= hi && hi <= 1)) throw new AugmentError(`cropScale [${o.cropScale.join(', ')}] must satisfy 0 < lo <= hi <= 1`);
  nonNegative('cropLogRatio', o.cropLogRatio, 2);
  nonNegative('rotationDegrees', o.rotationDegrees, 180);
  for (const name of ['flipProbability', 'jitterProbability', 'grayscaleProbability', 'blurProbability'] as const) probability(name, o[name]);
  nonNegative('brightness', o.brightness, 1);
  nonNegative('contrast', o.contrast, 1);
  nonNegative('saturation', o.saturation, 1);
  nonNegative('noiseStd', o.noiseStd, 1);
  const [s0, s1] = o.blurSigma;
  if (!(s0 > 0 && s0 <= s1 && s1 <= 10)) throw new AugmentError(`blurSigma [${o.blurSigma.join(', ')}] must satisfy 0 < lo <= hi <= 10`);
  if (!['constant', 'nearest', 'reflect'].includes(o.fillMode)) throw new AugmentError(`fillMode '${String(o.fillMode)}' must be constant, nearest or reflect`);
  return o;
}
