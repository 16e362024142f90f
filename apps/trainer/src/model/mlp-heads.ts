/**
 * The MLP pieces of SimSiam (Chen & He 2021, Sec. 4 and its CIFAR variant), all `n x d` in and out:
 * - the MLP backbone: `depth` x (Linear without bias, BN, ReLU) of `width` units on flattened images;
 * - the projector: Linear-BN-ReLU, Linear-BN with the last BN without affine parameters (output z);
 * - the predictor: bottleneck Linear-BN-ReLU (hidden dim), Linear with bias (output p).
 */
import * as tf from '@tensorflow/tfjs';
import { relu } from './relu.ts';
import { batchNorm, batchNormSpecs } from './batch-norm.ts';
import { linear, linearSpecs } from './linear.ts';
import type { ForwardContext, Module } from './module-types.ts';

/** MLP backbone for images of `inputShape`: output `n x width`. */
export function buildMlpBackbone(inputShape: [number, number, number], depth: number, width: number): Module {
  const inDim = inputShape[0] * inputShape[1] * inputShape[2];
  const specs = [];
  for (let i = 0; i < depth; i++) {
    specs.push(...linearSpecs(`backbone.fc${i}`, i === 0 ? inDim : width, width, 'backbone', false));
    specs.push(...batchNormSpecs(`backbone.bn${i}`, width, 'backbone'));
  }
  const apply = (ctx: ForwardContext, x: tf.Tensor): tf.Tensor => {
    let h = tf.reshape(x, [x.shape[0]!, inDim]);
    for (let i = 0; i < depth; i++) {
      h = relu(batchNorm(ctx, `backbone.bn${i}`, linear(ctx, `backbone.fc${i}`, h, false)));
    }
    return h;
  };
  return { specs, outDim: width, apply };
}

/** Projector `n x inDim -> n x outDim` (z); `outputAffine` adds scale/shift to the output BN. */
export function buildProjector(inDim: number, hiddenDim: number, outDim: number, outputAffine = false): Module {
  const specs = [
    ...linearSpecs('projector.fc0', inDim, hiddenDim, 'projector', false),
    ...batchNormSpecs('projector.bn0', hiddenDim, 'projector'),
    ...linearSpecs('projector.fc1', hiddenDim, outDim, 'projector', false),
    ...batchNormSpecs('projector.bn1', outDim, 'projector', outputAffine),
  ];
  const apply = (ctx: ForwardContext, x: tf.Tensor): tf.Tensor => {
    const h = relu(batchNorm(ctx, 'projector.bn0', linear(ctx, 'projector.fc0', x, false)));
    return batchNorm(ctx, 'projector.bn1', linear(ctx, 'projector.fc1', h, false), outputAffine);
  };
  return { specs, outDim, apply };
}

/** Bottleneck predictor `n x dim -> n x dim` (p). */
export function buildPredictor(dim: number, hiddenDim: number): Module {
  const specs = [
    ...linearSpecs('predictor.fc0', dim, hiddenDim, 'predictor', false),
    ...batchNormSpecs('predictor.bn0', hiddenDim, 'predictor'),
    ...linearSpecs('predictor.fc1', hiddenDim, dim, 'predictor', true),
  ];
  const apply = (ctx: ForwardContext, x: tf.Tensor): tf.Tensor => {
    const h = relu(batchNorm(ctx, 'predictor.bn0', linear(ctx, 'predictor.fc0', x, false)));
    return linear(ctx, 'predictor.fc1', h, true);
  };
  return { specs, outDim: dim, apply };
}
