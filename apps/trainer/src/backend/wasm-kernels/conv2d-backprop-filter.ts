/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (tfjs issue #8474): the filter gradient of an NHWC
 * convolution computed as one forward `Conv2D` over transposed tensors, with dilation equal to the forward stride.
 *
 * dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[n, oh, ow, co]
 * is a stride-1 convolution of x^T = [ci, h, w, n] with the "filter" dy^T = [oh, ow, n, co] dilated by the stride,
 * whose output [ci, kh, kw, co] is transposed back to [kh, kw, ci, co].
 */
import * as tf from '@tensorflow/tfjs';
import { KernelAttributeError } from '../backend-errors.ts';
import { withRunner } from './kernel-runner.ts';

type PadAttr = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

/** Kernel function: inputs `{ x: n x h x w x ci, dy: n x oh x ow x co }`, attrs as tfjs' `Conv2DBackpropFilter`. */
export function conv2dBackpropFilterWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const x = inputs['x'] as tf.TensorInfo;
  const dy = inputs['dy'] as tf.TensorInfo;
  const dataFormat = (attrs['dataFormat'] as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new KernelAttributeError('Conv2DBackpropFilter', 'dataFormat', dataFormat);
  }
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs['strides'] as [number, number] | number,
    1,
    attrs['pad'] as PadAttr,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const { outHeight: oh, outWidth: ow, inHeight: h, inWidth: w } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  // Rows of x the forward pass reads: (oh - 1) * sh + kh - top; trailing rows it never read are cropped.
  let bottom = (oh - 1) * sh + kh - top - h;
  let right = (ow - 1) * sw + kw - left - w;
  const rows = bottom < 0 ? h + bottom : h;
  const cols = right < 0 ? w + right : w;
  bottom = Math.max(bottom, 0);
  right = Math.max(right, 0);

  return withRunner(backend, 'wasm', (run) => {
    let xt = run.run('Transpose', { x }, { perm: [3, 1, 2, 0] });
    if (rows !== h || cols !== w) {
      xt = run.run('Slice', { x: xt }, { begin: [0, 0, 0, 0], size: [info.inChannels, rows, cols, info.batchSize] });
    }
    const dyt = run.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
    const conv = run.run(
      'Conv2D',
      { x: xt, filter: dyt },
      {
        strides: [1, 1],
        dilations: [sh, sw],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
      },
    );
    return run.run('Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  });
}

/** Kernel config to pass to `tf.registerKernel` (backend `wasm`). */
export const conv2dBackpropFilterWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
