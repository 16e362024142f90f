/**
 * A wrapper around the wasm `BatchMatMul` kernel that transposes its operands explicitly (a `Transpose` kernel)
 * before the multiplication whenever `transposeA` / `transposeB` is set: XNNPACK's transposed path was 10-20x
 * slower (a 10000 x 512 Gram matrix: 8.0 s vs 0.41 s), and every matMul gradient uses the transposed forms.
 */
import * as tf from '@tensorflow/tfjs';
import { withRunner } from './kernel-runner.ts';

/** Swaps the last two axes of a rank >= 2 shape: the permutation for an explicit matrix transpose. */
function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

/**
 * Builds the replacement kernel config around the original wasm `BatchMatMul` config (whose `setupFunc` must be
 * kept: it binds the wasm function the original kernel calls).
 */
export function batchMatMulExplicitTransposeConfig(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc = (args: {
    inputs: tf.NamedTensorInfoMap;
    backend: tf.KernelBackend;
    attrs?: tf.NamedAttrMap;
  }): tf.TensorInfo => {
    const attrs = (args.attrs ?? {}) as Record<string, unknown>;
    const transposeA = attrs['transposeA'] === true;
    const transposeB = attrs['transposeB'] === true;
    if (!transposeA && !transposeB) {
      return original.kernelFunc(args as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    return withRunner(args.backend, 'wasm', (run) => {
      let a = args.inputs['a'] as tf.TensorInfo;
      let b = args.inputs['b'] as tf.TensorInfo;
      if (transposeA) {
        a = run.run('Transpose', { x: a }, { perm: lastTwoSwapped(a.shape.length) });
      }
      if (transposeB) {
        b = run.run('Transpose', { x: b }, { perm: lastTwoSwapped(b.shape.length) });
      }
      const out = original.kernelFunc({
        inputs: { a, b },
        backend: args.backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
      return run.keep(out);
    });
  };
  return {
    kernelName: original.kernelName,
    backendName: original.backendName,
    setupFunc: original.setupFunc,
    disposeFunc: original.disposeFunc,
    kernelFunc: kernelFunc as unknown as tf.KernelFunc,
  };
}
