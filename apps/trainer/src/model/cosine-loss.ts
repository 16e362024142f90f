/**
 * The Siamese losses on `n x d` predictions p and targets z: SimSiam's negative cosine similarity
 * D(p, z) = -mean_i cos(p_i, z_i) (Chen & He 2021, Eq. 1; in [-1, 1], -1 = perfectly aligned, which a collapsed
 * constant output reaches too) and BYOL's normalised squared error 2 - 2 cos (Grill et al. 2020, Eq. 2; in [0, 4]).
 * The callers apply stop-gradient to z; these functions do not.
 */
import * as tf from '@tensorflow/tfjs';

/** Row-wise cosine similarity of two `n x d` matrices (`n`), with PyTorch's eps guarding zero rows. */
export function rowCosine(p: tf.Tensor2D, z: tf.Tensor2D): tf.Tensor1D {
  const eps2 = 1e-16;
  const pn = tf.mul(p, tf.rsqrt(tf.maximum(tf.sum(tf.square(p), 1, true), eps2)));
  const zn = tf.mul(z, tf.rsqrt(tf.maximum(tf.sum(tf.square(z), 1, true), eps2)));
  return tf.sum(tf.mul(pn, zn), 1) as tf.Tensor1D;
}

/** SimSiam's D(p, z) = -mean cos(p, z): a scalar in [-1, 1]. */
export function negativeCosine(p: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(rowCosine(p, z))) as tf.Scalar;
}

/** BYOL's mean of ||p/|p| - z/|z|||^2 = 2 - 2 cos(p, z): a scalar in [0, 4]. */
export function normalisedSquaredError(p: tf.Tensor2D, z: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.sub(2, tf.mul(2, rowCosine(p, z)))) as tf.Scalar;
}
