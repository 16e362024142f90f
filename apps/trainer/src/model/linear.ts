/**
 * A fully connected layer `n x in -> n x out` (weights `in x out`, PyTorch's default init
 * uniform(+-1/sqrt(in)) for weight and bias), the building block of the MLP backbone, projector and predictor.
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, ParamGroup, ParamSpec } from './module-types.ts';

/** Specs of `name.weight` (`in x out`) and, when `bias`, `name.bias` (`out`). */
export function linearSpecs(name: string, inDim: number, outDim: number, group: ParamGroup, bias: boolean): ParamSpec[] {
  const specs: ParamSpec[] = [
    {
      name: `${name}.weight`,
      shape: [inDim, outDim],
      init: { kind: 'uniform-fan-in', fanIn: inDim },
      group,
      trainable: true,
      noDecay: false,
    },
  ];
  if (bias) {
    specs.push({
      name: `${name}.bias`,
      shape: [outDim],
      init: { kind: 'uniform-fan-in', fanIn: inDim },
      group,
      trainable: true,
      noDecay: true,
    });
  }
  return specs;
}

/** x W (+ b). */
export function linear(ctx: ForwardContext, name: string, x: tf.Tensor, bias: boolean): tf.Tensor {
  const y = tf.matMul(x as tf.Tensor2D, ctx.param(`${name}.weight`) as tf.Tensor2D);
  return bias ? tf.add(y, ctx.param(`${name}.bias`)) : y;
}
