/**
 * The small functional-module vocabulary of the model: a module declares its parameters (`ParamSpec`s, created
 * once per network by `ParamStore`) and applies them through a `ForwardContext`, so that the BYOL target network
 * reuses the online architecture with its own variables.
 */
import type * as tf from '@tensorflow/tfjs';

/** How a parameter is initialised: He-normal (convs), PyTorch's Linear uniform(+-1/sqrt(fanIn)), or a constant. */
export type ParamInit = { kind: 'he-normal' } | { kind: 'uniform-fan-in'; fanIn: number } | { kind: 'constant'; value: number };

/** Which part of the network a parameter belongs to (the predictor may get its own lr). */
export type ParamGroup = 'backbone' | 'projector' | 'predictor';

/** One parameter or buffer of a module, named like PyTorch's state_dict (`backbone.stage1.conv.weight`). */
export interface ParamSpec {
  name: string;
  shape: number[];
  init: ParamInit;
  group: ParamGroup;
  /** false for BN running statistics (updated with `assign`, not by the optimizer). */
  trainable: boolean;
  /** BN affine weights and biases: exempt from weight decay when the optimizer is asked to. */
  noDecay: boolean;
}

/**
 * Cross-replica reduction for synchronous data parallelism: `sum` returns the element-wise sum of `values` over all
 * `replicas` (every replica calls it in the same order with the same length and gets the same result).
 */
export interface ReplicaSync {
  readonly replicas: number;
  sum(values: Float32Array): Float32Array;
}

/** What a module sees while it runs. */
export interface ForwardContext {
  param(name: string): tf.Variable;
  /** true: BN uses batch statistics; false: running statistics (inference). */
  training: boolean;
  /** Number of equally sized views concatenated along the batch; BN normalises each view on its own. */
  groups: number;
  /** In training mode, whether BN folds the batch statistics into its running statistics. */
  updateStats: boolean;
  /** Data parallelism: training-mode BN reduces its statistics and gradient sums over replicas (SyncBN). */
  sync?: ReplicaSync;
}

/** A network piece: its parameters and its forward function (`n x ...` in, `n x ...` out). */
export interface Module {
  specs: ParamSpec[];
  outDim: number;
  apply(ctx: ForwardContext, x: tf.Tensor): tf.Tensor;
}
