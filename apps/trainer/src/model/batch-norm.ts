/**
 * Batch normalisation (Ioffe & Szegedy 2015) with a hand-written gradient whose reductions are all matrix products
 * with a ones vector (`1 x m` times `m x c`), instead of `tf.batchNorm` (its gradient goes through a `Tile` that
 * cost ~0.8 s per step on wasm, and it crashes under a tape without scale/offset) or `tf.mean` over leading axes
 * (wasm transposes the whole activation first). Views concatenated along the batch (`ctx.groups`) are normalised
 * each with their own statistics, exactly like separate PyTorch calls, and fold into the running statistics in
 * order (momentum 0.1, unbiased variance, as `torch.nn.BatchNorm`).
 *
 * Per group, with X `m x c`, xhat = (X - mean) / sqrt(var + eps), y = gamma * xhat + beta:
 *   dbeta = 1'dy,  dgamma = 1'(dy * xhat),  dX = gamma / sqrt(var + eps) * (dy - dbeta/m - xhat * dgamma/m).
 */
import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, ParamGroup, ParamSpec, ReplicaSync } from './module-types.ts';

const EPS = 1e-5;
const MOMENTUM = 0.1;

/** Parameters of a BN over `channels` features: weight/bias when `affine`, running_mean/running_var always. */
export function batchNormSpecs(prefix: string, channels: number, group: ParamGroup, affine = true): ParamSpec[] {
  const stat = (name: string, value: number): ParamSpec => ({
    name: `${prefix}.${name}`,
    shape: [channels],
    init: { kind: 'constant', value },
    group,
    trainable: false,
    noDecay: true,
  });
  const specs = [stat('running_mean', 0), stat('running_var', 1)];
  if (affine) {
    specs.unshift({ ...stat('weight', 1), trainable: true }, { ...stat('bias', 0), trainable: true });
  }
  return specs;
}

/**
 * Column sums of `g x m x c` as `g x 1 x c`: a product with a ones row on wasm/cpu/webgl (wasm's `Sum` over a
 * leading axis transposes the whole activation first), a plain reduction on the native TensorFlow backend (where
 * the ones row is allocated in JS memory and copied in on every call).
 */
export function columnSums(x: tf.Tensor3D): tf.Tensor3D {
  if (tf.getBackend() === 'tensorflow') {
    return tf.sum(x, 1, true);
  }
  const [g, m] = x.shape;
  return tf.matMul(tf.ones([g, 1, m]), x);
}

/** `columnSums`, summed over replicas when `sync` is given (a `g x 1 x c` download, sum, upload). */
function syncedColumnSums(x: tf.Tensor3D, sync: ReplicaSync | undefined): tf.Tensor3D {
  const local = columnSums(x);
  return sync === undefined ? local : tf.tensor3d(sync.sum(local.dataSync() as Float32Array), local.shape);
}

/**
 * Per-group batch mean and biased variance of `g x m x c` (each `g x 1 x c`), over all replicas' rows when `sync`
 * is given (two-pass like the single-process path: the global mean first, then the global sum of squared
 * deviations from it, so the numbers equal one process's up to summation order).
 */
function moments(x: tf.Tensor3D, sync?: ReplicaSync): { mean: tf.Tensor3D; variance: tf.Tensor3D; centred: tf.Tensor3D; count: number } {
  const count = x.shape[1] * (sync?.replicas ?? 1);
  const mean = tf.div(syncedColumnSums(x, sync), count) as tf.Tensor3D;
  const centred = tf.sub(x, mean) as tf.Tensor3D;
  const variance = tf.div(syncedColumnSums(tf.square(centred) as tf.Tensor3D, sync), count) as tf.Tensor3D;
  return { mean, variance, centred, count };
}

/**
 * SyncBN (training mode) across replicas: forward statistics as in `moments(x, sync)`; backward, each replica's
 * dbeta and dgamma column sums are summed over replicas (one exchange of `2 x g x c`) and used with the global count
 * in dX, while the returned dgamma/dbeta are the replica's own sums (the caller averages parameter gradients over
 * replicas, which also supplies the 1/replicas factor of dX's upstream gradient).
 */
function syncedNormalise(sync: ReplicaSync): (x: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor3D {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta] = args as [tf.Tensor3D, tf.Tensor1D, tf.Tensor1D];
    const save = args[3] as tf.GradSaveFunc;
    const { variance, centred, count } = moments(x, sync);
    const invStd = tf.rsqrt(tf.add(variance, EPS));
    const xhat = tf.mul(centred, invStd);
    save([xhat, invStd, gamma]);
    return {
      value: tf.add(tf.mul(xhat, gamma), beta),
      gradFunc: (dyAny: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const dy = dyAny as tf.Tensor3D;
        const [sx, sInv, sGamma] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor1D];
        const dBetaG = columnSums(dy);
        const dGammaG = columnSums(tf.mul(dy, sx) as tf.Tensor3D);
        const both = tf.concat([dBetaG, dGammaG], 1);
        const summed = tf.tensor3d(sync.sum(both.dataSync() as Float32Array), both.shape);
        const [dBetaAll, dGammaAll] = tf.split(summed, 2, 1) as [tf.Tensor3D, tf.Tensor3D];
        const inner = tf.sub(tf.sub(dy, tf.div(dBetaAll, count)), tf.mul(sx, tf.div(dGammaAll, count)));
        const dx = tf.mul(inner, tf.mul(sInv, sGamma));
        const c = sGamma.shape[0];
        return [dx, tf.reshape(tf.sum(dGammaG, [0, 1]), [c]), tf.reshape(tf.sum(dBetaG, [0, 1]), [c])];
      },
    };
  }) as (x: tf.Tensor3D, gamma: tf.Tensor1D, beta: tf.Tensor1D) => tf.Tensor3D;
}

/** Training-mode BN of grouped `g x m x c` with the explicit gradient above. */
const normaliseTraining = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, gamma, beta] = args as [tf.Tensor3D, tf.Tensor1D, tf.Tensor1D];
  const save = args[3] as tf.GradSaveFunc;
  const { variance, centred } = moments(x);
  const invStd = tf.rsqrt(tf.add(variance, EPS));
  const xhat = tf.mul(centred, invStd);
  save([xhat, invStd, gamma]);
  return {
    value: tf.add(tf.mul(xhat, gamma), beta),
    gradFunc: (dyAny: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const dy = dyAny as tf.Tensor3D;
      const [sx, sInv, sGamma] = saved as [tf.Tensor3D, tf.Tensor3D, tf.Tensor1D];
      const m = dy.shape[1];
      const dBetaG = columnSums(dy);
      const dGammaG = columnSums(tf.mul(dy, sx) as tf.Tensor3D);
      const inner = tf.sub(tf.sub(dy, tf.div(dBetaG, m)), tf.mul(sx, tf.div(dGammaG, m)));
      const dx = tf.mul(inner, tf.mul(sInv, sGamma));
      const c = sGamma.shape[0];
      return [dx, tf.reshape(tf.sum(dGammaG, [0, 1]), [c]), tf.reshape(tf.sum(dBetaG, [0, 1]), [c])];
    },
  };
});

/** Folds each group's batch statistics into the running statistics, in group order (PyTorch semantics). */
function updateRunningStats(ctx: ForwardContext, prefix: string, x: tf.Tensor3D): void {
  const runningMean = ctx.param(`${prefix}.running_mean`);
  const runningVar = ctx.param(`${prefix}.running_var`);
  const [groups, , channels] = x.shape;
  const next = tf.tidy(() => {
    const { mean, variance, count } = moments(x, ctx.sync);
    const unbiased = count > 1 ? count / (count - 1) : 1;
    let m: tf.Tensor = runningMean;
    let v: tf.Tensor = runningVar;
    for (let g = 0; g < groups; g++) {
      const gm = tf.reshape(tf.slice(mean, [g, 0, 0], [1, 1, channels]), [channels]);
      const gv = tf.reshape(tf.slice(variance, [g, 0, 0], [1, 1, channels]), [channels]);
      m = tf.add(tf.mul(m, 1 - MOMENTUM), tf.mul(gm, MOMENTUM));
      v = tf.add(tf.mul(v, 1 - MOMENTUM), tf.mul(gv, MOMENTUM * unbiased));
    }
    return [m, v];
  });
  runningMean.assign(next[0]!);
  runningVar.assign(next[1]!);
  tf.dispose(next);
}

/**
 * Normalises `x` (`n x ... x c`, channels last) over every axis but the last; in training mode per view group with
 * batch statistics (updating the running ones when `ctx.updateStats`), otherwise with the running statistics.
 */
export function batchNorm(ctx: ForwardContext, prefix: string, x: tf.Tensor, affine = true): tf.Tensor {
  const channels = x.shape[x.shape.length - 1]!;
  const gamma = affine ? ctx.param(`${prefix}.weight`) : tf.ones([channels]);
  const beta = affine ? ctx.param(`${prefix}.bias`) : tf.zeros([channels]);
  if (ctx.training) {
    const grouped = tf.reshape(x, [ctx.groups, -1, channels]) as tf.Tensor3D;
    if (ctx.updateStats) {
      updateRunningStats(ctx, prefix, grouped);
    }
    const normalise = ctx.sync === undefined ? normaliseTraining : syncedNormalise(ctx.sync);
    return tf.reshape(normalise(grouped, gamma as tf.Tensor1D, beta as tf.Tensor1D), x.shape);
  }
  const scale = tf.mul(gamma, tf.rsqrt(tf.add(ctx.param(`${prefix}.running_var`), EPS)));
  return tf.add(tf.mul(tf.sub(x, ctx.param(`${prefix}.running_mean`)), scale), beta);
}
