/**
 * `Conv2DBackpropFilter` for the wasm backend, which has none (tfjs issue #8474): the filter gradient of an NHWC
 * convolution computed as one forward `Conv2D` over transposed tensors, with dilation equal to the forward stride.
 *
 * dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[n, oh, ow, co]
 * is a stride-1 convolution of x^T = [ci, h, w, n] with the "filter" dy^T = [oh, ow, n, co] dilated by the stride,
 * whose output [ci, kh, kw, co] is transposed back to [kh, kw, ci, co]. With few input channels (kh*kw*ci <= 36,
 * e.g. an image stem) it is instead im2col (built in JS) times dy as one matMul.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelAttributeError } from '../backend-errors.ts';
import { withRunner } from './kernel-runner.ts';

/**
 * Up to this many filter rows (kh * kw * ci) the gradient is im2col + one matMul instead: with few input channels
 * (an image stem, ci = 1) the dilated convolution degenerates (measured 0.7-1.2 s vs 0.1 s for 256 x 28 x 28 x 1).
 */
const IM2COL_MAX_ROWS = 36;

/**
 * Writes the transposed im2col matrix (`kh*kw*ci x n*oh*ow`, rows in filter order) of the NHWC input `x`:
 * entry (kh, kw, ci; n, oh, ow) = x[n, oh*sh + kh - top, ow*sw + kw - left, ci], zero outside the image.
 */
function fillTransposedPatches(x: Float32Array, out: Float32Array, info: tf.backend_util.Conv2DInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  const cols = n * oh * ow;
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      for (let c = 0; c < ci; c++) {
        const row = ((a * kw + b) * ci + c) * cols;
        for (let i = 0; i < n; i++) {
          for (let y = 0; y < oh; y++) {
            const col = (i * oh + y) * ow;
            const hy = y * sh + a - info.padInfo.top;
            if (hy < 0 || hy >= h) {
              continue;
            }
            const base = (i * h + hy) * w;
            for (let z = 0; z < ow; z++) {
              const wx = z * sw + b - info.padInfo.left;
              if (wx >= 0 && wx < w) {
                out[row + col + z] = x[(base + wx) * ci + c]!;
              }
            }
          }
        }
      }
    }
  }
}

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

  if (info.inChannels * kh * kw <= IM2COL_MAX_ROWS) {
    return withRunner(backend, 'wasm', (run) => {
      const patches = run.fromValues([1, kh * kw * info.inChannels, info.batchSize * oh * ow]);
      fillTransposedPatches(run.backend.readSync(x.dataId), run.backend.typedArrayFromHeap(patches), info);
      const dy3 = run.run('Reshape', { x: dy }, { shape: [1, info.batchSize * oh * ow, info.outChannels] });
      const product = run.run('BatchMatMul', { a: patches, b: dy3 }, { transposeA: false, transposeB: false });
      return run.run('Reshape', { x: product }, { shape: filterShape });
    });
  }
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
