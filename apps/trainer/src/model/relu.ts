/**
 * ReLU whose gradient is cheap on the native TensorFlow backend. tfjs's own ReLU gradient is `dy * step(x)`, and
 * tfjs-node implements `Step` in JavaScript around TensorFlow ops: it allocates `ones(x.shape)` and
 * `fill(x.shape, alpha)` in JS memory and copies them into TensorFlow on every call, which made the six ReLU
 * gradients of the benchmark network ~17% of a native training step. On the tensorflow backend the gradient here
 * is `dy * cast(y > 0)` (three native ops, no JS allocation); on wasm/cpu/webgl `tf.relu` is kept as it is.
 */
import * as tf from '@tensorflow/tfjs';

const nativeRelu = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const y = tf.relu(x);
  save([y]);
  return {
    value: y,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.mul(dy as tf.Tensor, tf.cast(tf.greater(saved[0]!, 0), 'float32')),
  };
}) as (x: tf.Tensor) => tf.Tensor;

/** `max(x, 0)`, with a native-friendly gradient on the tensorflow backend (same values on every backend). */
export function relu<T extends tf.Tensor>(x: T): T {
  return (tf.getBackend() === 'tensorflow' ? nativeRelu(x) : tf.relu(x)) as T;
}
