/**
 * A 3x3 convolution with PyTorch's `padding=1` on every TensorFlow.js backend.
 *
 * The wasm, cpu and webgl kernels take explicit padding (`[[0,0],[1,1],[1,1],[0,0]]`) in the forward pass and in
 * both gradients. The native TensorFlow kernels (`@tensorflow/tfjs-node`, `-node-gpu`) do not: their
 * `Conv2DBackpropInput` throws "TF Backend supports only 'valid' and 'same' padding while padding was EXPLICIT" on
 * the first training step. There, stride 1 uses `'same'` (identical to padding 1 for a 3x3 kernel), and stride 2
 * pads explicitly with `tf.pad` and convolves `'valid'` (TensorFlow's `'same'` pads 0 before and 1 after on even
 * inputs, PyTorch pads 1 on both sides: the outputs would differ).
 */
import * as tf from '@tensorflow/tfjs';

type Pad4 = [[number, number], [number, number], [number, number], [number, number]];

const PAD_1: Pad4 = [
  [0, 0],
  [1, 1],
  [1, 1],
  [0, 0],
];

/** Backends whose conv kernels accept explicit padding forward and backward. */
const EXPLICIT_PADDING_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu', 'webgl']);

/** `n x h x w x cin` conv `3 x 3 x cin x cout` at `stride` with one pixel of zero padding on each side. */
export function conv2dPad1(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  if (EXPLICIT_PADDING_BACKENDS.has(tf.getBackend())) {
    return tf.conv2d(x, w, stride, PAD_1);
  }
  if (stride === 1) {
    return tf.conv2d(x, w, 1, 'same');
  }
  return tf.conv2d(tf.pad(x, PAD_1), w, stride, 'valid');
}
