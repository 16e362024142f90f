/**
 * The native TensorFlow backend loads (auto prefers it and says why), and the 3x3 convolution with PyTorch's
 * padding 1 trains on it: forward and both gradients at strides 1 and 2 equal the cpu backend's explicit-padding
 * reference. The TensorFlow kernels reject explicit padding in `Conv2DBackpropInput`, so a `conv2dPad1` that
 * passed it through would throw here ("TF Backend supports only 'valid' and 'same' padding while padding was
 * EXPLICIT"). Runs only where the native specs are switched on (vitest.config.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { conv2dPad1 } from '../model/conv2d-pad1.ts';
import { resolveBackend } from './resolve-backend.ts';

/** Forward output and both gradients of sum(conv(x, w)^2 * ramp), as plain arrays. */
function convAndGradients(stride: number): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([3, 9, 8, 5], 0, 1, 'float32', 11) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 5, 4], 0, 0.3, 'float32', 12) as tf.Tensor4D;
    const f = (a: tf.Tensor, b: tf.Tensor) => {
      const y = conv2dPad1(a as tf.Tensor4D, b as tf.Tensor4D, stride);
      return y.square().mul(tf.linspace(0.5, 1.5, y.size).reshape(y.shape)).sum();
    };
    const [dx, dw] = tf.grads(f)([x, w]);
    return [conv2dPad1(x, w, stride).dataSync() as Float32Array, dx!.dataSync() as Float32Array, dw!.dataSync() as Float32Array];
  });
}

function worstRelative(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(a[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  }
  return worst / scale;
}

describe('native TensorFlow backend', () => {
  it('auto takes tensorflow when it loads and logs why', async () => {
    const lines: string[] = [];
    const resolved = await resolveBackend('auto', (line) => lines.push(line));
    expect(resolved.backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(lines).toContain('backend: using @tensorflow/tfjs-node (libtensorflow, all cores)');
    expect(resolved.attempts[0]).toMatchObject({ backend: 'tensorflow-gpu', ok: false });
    expect(lines.some((l) => l.startsWith('backend: passed over tensorflow-gpu'))).toBe(true);
  });

  for (const stride of [1, 2]) {
    it(`conv2dPad1 at stride ${stride}: forward and gradients equal the cpu backend's explicit padding`, async () => {
      await resolveBackend('cpu');
      const reference = convAndGradients(stride);
      await resolveBackend('tensorflow');
      const native = convAndGradients(stride);
      expect(native.map((a) => a.length)).toEqual(reference.map((a) => a.length));
      native.forEach((values, i) => expect(worstRelative(reference[i]!, values), ['y', 'dx', 'dw'][i]).toBeLessThan(1e-4));
    });
  }

  it('explicit padding itself is still rejected by the TensorFlow kernels (why conv2dPad1 exists)', async () => {
    await resolveBackend('tensorflow');
    const x = tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 1, 1]) as tf.Tensor4D;
    const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];
    expect(() => tf.grad((a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w, 1, pad).sum())(x)).toThrow(/EXPLICIT/);
  });
});
