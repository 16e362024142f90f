/**
 * Stop-gradient for tfjs, which has none: an identity whose gradient is zero (`tf.customGrad`). SimSiam's target
 * branch `z.detach()` (Chen & He 2021, Alg. 1) is `stopGradient(z)`; removing it makes SimSiam collapse.
 */
import * as tf from '@tensorflow/tfjs';

const identityWithZeroGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor) };
});

/** Returns a copy of `x` through which no gradient flows (PyTorch's `x.detach()`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithZeroGradient(x) as T;
}
