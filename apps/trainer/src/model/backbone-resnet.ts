/**
 * A small ResNet family for 14x14, 28x28 and 32x32 inputs (He et al. 2016, CIFAR-style stem without max-pool):
 * a 3x3 stem at stride 1, then three stages, each a 3x3 stride-2 conv-BN-ReLU followed by `depth` basic residual
 * blocks (conv-BN-ReLU-conv-BN + identity, ReLU), and global average pooling. Widths are 16-32-64-64 times the width
 * multiplier (2 gives the 32-64-128-128 CNN of the throughput benchmark; depth 0 is that plain CNN). Padding is
 * PyTorch's `padding=1`, so the same network can be built in torch (tools/python/bench_train_torch.py).
 * Output: `n x widths[3]` pooled features ("backbone" features for probes and spectra).
 */
import * as tf from '@tensorflow/tfjs';
import { relu } from './relu.ts';
import { batchNorm, batchNormSpecs } from './batch-norm.ts';
import { conv2dPad1 } from './conv2d-pad1.ts';
import type { ForwardContext, Module, ParamSpec } from './module-types.ts';

/** Base widths of the four conv levels before the width multiplier. */
export const RESNET_BASE_WIDTHS: readonly number[] = [16, 32, 64, 64];

/** Channel widths for a width multiplier (at least 1 channel each). */
export function resnetWidths(width: number): number[] {
  return RESNET_BASE_WIDTHS.map((c) => Math.max(1, Math.round(c * width)));
}

function convSpecs(name: string, cin: number, cout: number): ParamSpec[] {
  return [
    {
      name: `${name}.conv.weight`,
      shape: [3, 3, cin, cout],
      init: { kind: 'he-normal' },
      group: 'backbone',
      trainable: true,
      noDecay: false,
    },
    ...batchNormSpecs(`${name}.bn`, cout, 'backbone'),
  ];
}

function convBn(ctx: ForwardContext, name: string, x: tf.Tensor, stride: number): tf.Tensor {
  const w = ctx.param(`${name}.conv.weight`) as tf.Tensor4D;
  return batchNorm(ctx, `${name}.bn`, conv2dPad1(x as tf.Tensor4D, w, stride));
}

/** Builds the backbone for `inputShape` [h, w, c] with `depth` blocks per stage and width multiplier `width`. */
export function buildResnetBackbone(inputShape: [number, number, number], depth: number, width: number): Module {
  const widths = resnetWidths(width);
  const specs: ParamSpec[] = [...convSpecs('backbone.stem', inputShape[2], widths[0]!)];
  for (let stage = 1; stage <= 3; stage++) {
    const c = widths[stage]!;
    specs.push(...convSpecs(`backbone.stage${stage}.down`, widths[stage - 1]!, c));
    for (let b = 0; b < depth; b++) {
      specs.push(...convSpecs(`backbone.stage${stage}.block${b}.a`, c, c));
      specs.push(...convSpecs(`backbone.stage${stage}.block${b}.b`, c, c));
    }
  }
  const apply = (ctx: ForwardContext, x: tf.Tensor): tf.Tensor => {
    let h = relu(convBn(ctx, 'backbone.stem', x, 1));
    for (let stage = 1; stage <= 3; stage++) {
      h = relu(convBn(ctx, `backbone.stage${stage}.down`, h, 2));
      for (let b = 0; b < depth; b++) {
        const prefix = `backbone.stage${stage}.block${b}`;
        const inner = relu(convBn(ctx, `${prefix}.a`, h, 1));
        h = relu(tf.add(h, convBn(ctx, `${prefix}.b`, inner, 1)));
      }
    }
    return tf.mean(h, [1, 2]);
  };
  return { specs, outDim: widths[3]!, apply };
}
