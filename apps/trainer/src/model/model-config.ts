/**
 * Configuration of the Siamese model (SimSiam, Chen & He 2021; BYOL, Grill et al. 2020) and its validation.
 */

/** Backbone family: `resnet` (small ResNet for 14x14 / 28x28 / 32x32 inputs) or `mlp` (Linear-BN-ReLU stack). */
export interface BackboneConfig {
  kind: 'resnet' | 'mlp';
  /** resnet: residual blocks per stage (0 = plain CNN); mlp: number of hidden Linear-BN-ReLU layers (>= 1). */
  depth: number;
  /** resnet: channel multiplier of widths 16-32-64-64 (2 gives 32-64-128-128); mlp: hidden units per layer. */
  width: number;
}

/** Everything `createSiameseModel` needs. The loss is SimSiam's negative cosine or BYOL's 2 - 2cos. */
export interface ModelConfig {
  method: 'simsiam' | 'byol';
  backbone: BackboneConfig;
  /** Input image shape [h, w, c]. */
  inputShape: [number, number, number];
  /** Output dim of the projector (z) and of the predictor (p). */
  projectorDim: number;
  projectorHiddenDim: number;
  /** Bottleneck width of the predictor MLP. */
  predictorHiddenDim: number;
  /** false removes the stop-gradient on the target branch (SimSiam then collapses). */
  stopGradient: boolean;
  /**
   * Learnable scale and shift on the projector's output BN (default false, SimSiam's code release).
   * Without them z is standardised per dimension, so a collapse can only reach a line (rank 1, AUC ~1);
   * with them (the SimSiam paper's Fig. 2 setting) z can collapse to one point (normalised std -> 0).
   */
  projectorOutputAffine?: boolean;
  /** BYOL: target <- emaDecay * target + (1 - emaDecay) * online after each step (ignored for SimSiam). */
  emaDecay: number;
}

/** A model configuration field outside its valid range; the message names the field and the value. */
export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';

  constructor(field: string, value: unknown, expected: string) {
    super(`invalid model config ${field}=${JSON.stringify(value)}: expected ${expected}`);
  }
}

function positiveInt(field: string, value: unknown, min = 1): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ModelConfigError(field, value, `an integer >= ${min}`);
  }
}

/** Checks a `ModelConfig` and throws `ModelConfigError` on the first bad field. */
export function validateModelConfig(config: ModelConfig): void {
  if (config.method !== 'simsiam' && config.method !== 'byol') {
    throw new ModelConfigError('method', config.method, "'simsiam' or 'byol'");
  }
  const { kind, depth, width } = config.backbone;
  if (kind !== 'resnet' && kind !== 'mlp') {
    throw new ModelConfigError('backbone.kind', kind, "'resnet' or 'mlp'");
  }
  positiveInt('backbone.depth', depth, kind === 'resnet' ? 0 : 1);
  if (typeof width !== 'number' || !(width > 0) || (kind === 'mlp' && !Number.isInteger(width))) {
    throw new ModelConfigError('backbone.width', width, kind === 'mlp' ? 'an integer >= 1' : 'a number > 0');
  }
  if (!Array.isArray(config.inputShape) || config.inputShape.length !== 3) {
    throw new ModelConfigError('inputShape', config.inputShape, '[h, w, c]');
  }
  config.inputShape.forEach((d, i) => positiveInt(`inputShape[${i}]`, d));
  positiveInt('projectorDim', config.projectorDim);
  positiveInt('projectorHiddenDim', config.projectorHiddenDim);
  positiveInt('predictorHiddenDim', config.predictorHiddenDim);
  if (typeof config.stopGradient !== 'boolean') {
    throw new ModelConfigError('stopGradient', config.stopGradient, 'a boolean');
  }
  if (typeof config.emaDecay !== 'number' || !(config.emaDecay >= 0 && config.emaDecay <= 1)) {
    throw new ModelConfigError('emaDecay', config.emaDecay, 'a number in [0, 1]');
  }
}
