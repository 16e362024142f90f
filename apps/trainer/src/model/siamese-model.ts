/**
 * SimSiam (Chen & He, CVPR 2021) and BYOL (Grill et al., NeurIPS 2020) on TensorFlow.js, in the shape of
 * facebookresearch/simsiam's builder: encoder f = backbone + projector, predictor h, and
 *   p1, p2 = h(f(x1)), h(f(x2));  z1, z2 = f(x1), f(x2)        (BYOL: z from the EMA target network)
 *   loss = D(p1, sg(z2)) / 2 + D(p2, sg(z1)) / 2               (sg = stop-gradient, D = -cos or 2 - 2cos)
 * Both views go through the network as one concatenated batch whose BN layers normalise each view on its own (the
 * same numbers as two PyTorch calls). One `trainStep` = forward, backward, momentum-SGD step, BN running statistics
 * and, for BYOL, the EMA update of the target (its weights and its BN statistics).
 */
import * as tf from '@tensorflow/tfjs';
import { createSgd, type TensorState } from '../optim/sgd.ts';
import { buildResnetBackbone } from './backbone-resnet.ts';
import { negativeCosine, normalisedSquaredError } from './cosine-loss.ts';
import { buildMlpBackbone, buildPredictor, buildProjector } from './mlp-heads.ts';
import { type ModelConfig, ModelConfigError, validateModelConfig } from './model-config.ts';
import type { ForwardContext, ReplicaSync } from './module-types.ts';
import { ParamStore } from './param-store.ts';
import { stopGradient } from './stop-gradient.ts';

/** What `forward` returns: the loss, the online predictions and the (stop-gradient'ed) targets, each `n x d`. */
export interface SiameseForward {
  loss: tf.Scalar;
  p1: tf.Tensor2D;
  p2: tf.Tensor2D;
  z1Target: tf.Tensor2D;
  z2Target: tf.Tensor2D;
}

/** Optimizer options of the model (SimSiam: weight decay 5e-4 on CIFAR-size data, applied to every parameter). */
export interface SiameseModelOptions {
  weightDecay?: number;
  decayBnAndBias?: boolean;
  /**
   * Synchronous data parallelism (see `parallel/`): this model is one replica that sees its share of every batch;
   * BN statistics are reduced over replicas (SyncBN) and `trainStep` averages gradients and loss over replicas
   * before the SGD step, so all replicas keep identical weights.
   */
  sync?: ReplicaSync;
}

/** A SimSiam/BYOL model with its optimizer state. Tensors it returns belong to the caller. */
export interface SiameseModel {
  readonly config: ModelConfig;
  /** Number of trainable scalars of the online network (backbone, projector, predictor). */
  readonly paramCount: number;
  /** Width of the pooled backbone features returned by `embed`. */
  readonly featureDim: number;
  forward(x1: tf.Tensor4D, x2: tf.Tensor4D, options?: { updateStats?: boolean }): SiameseForward;
  /** The online network's trainable variables by parameter name (for `tf.variableGrads` in tests and tools). */
  trainableVariables(): Record<string, tf.Variable>;
  embed(x: tf.Tensor4D): { backbone: tf.Tensor2D; projector: tf.Tensor2D };
  trainStep(x1: tf.Tensor4D, x2: tf.Tensor4D, lr: { base: number; predictor?: number }): { loss: number };
  getState(): TensorState;
  setState(state: TensorState): void;
  dispose(): void;
}

const OPTIM_PREFIX = 'optim.momentum.';

type Grads = { value: tf.Scalar; grads: tf.NamedTensorMap };

/** Loss and gradients averaged over replicas in one exchange (every replica gets the same numbers); disposes `local`. */
function averageOverReplicas(sync: ReplicaSync, local: Grads, variables: tf.Variable[]): Grads {
  const sizes = variables.map((v) => v.size);
  const packed = new Float32Array(1 + sizes.reduce((a, b) => a + b, 0));
  packed[0] = local.value.dataSync()[0]!;
  let offset = 1;
  for (const v of variables) {
    packed.set(local.grads[v.name]!.dataSync() as Float32Array, offset);
    offset += v.size;
  }
  tf.dispose([local.value, ...Object.values(local.grads)]);
  const summed = sync.sum(packed);
  const inv = 1 / sync.replicas;
  const grads: tf.NamedTensorMap = {};
  offset = 1;
  for (const v of variables) {
    grads[v.name] = tf.tensor(summed.subarray(offset, offset + v.size).map((g) => g * inv), v.shape, 'float32');
    offset += v.size;
  }
  return { value: tf.scalar(summed[0]! * inv), grads };
}
const TARGET_PREFIX = 'target.';

/** Builds the model; variables are initialised from `seed` (same seed, same weights, on every backend). */
export function createSiameseModel(config: ModelConfig, seed: number, options: SiameseModelOptions = {}): SiameseModel {
  validateModelConfig(config);
  const [h, w, c] = config.inputShape;
  const { kind, depth, width } = config.backbone;
  const backbone = kind === 'resnet' ? buildResnetBackbone(config.inputShape, depth, width) : buildMlpBackbone(config.inputShape, depth, width);
  const projector = buildProjector(backbone.outDim, config.projectorHiddenDim, config.projectorDim, config.projectorOutputAffine ?? false);
  const predictor = buildPredictor(config.projectorDim, config.predictorHiddenDim);
  const online = new ParamStore([...backbone.specs, ...projector.specs, ...predictor.specs], seed);
  const target = config.method === 'byol' ? new ParamStore([...backbone.specs, ...projector.specs], seed, online) : null;
  const sgd = createSgd({ momentum: 0.9, weightDecay: options.weightDecay ?? 5e-4, decayBnAndBias: options.decayBnAndBias });
  const D = config.method === 'simsiam' ? negativeCosine : normalisedSquaredError;
  const sg = (z: tf.Tensor2D): tf.Tensor2D => (config.stopGradient ? stopGradient(z) : z);

  const context = (store: ParamStore, training: boolean, updateStats: boolean): ForwardContext => ({
    param: (name) => store.get(name),
    training,
    groups: training ? 2 : 1,
    updateStats,
    ...(training && options.sync !== undefined ? { sync: options.sync } : {}),
  });
  const checkInput = (x: tf.Tensor, label: string): void => {
    const s = x.shape;
    if (s.length !== 4 || s[1] !== h || s[2] !== w || s[3] !== c || s[0]! < 2) {
      throw new ModelConfigError(`${label}.shape`, s, `[n >= 2, ${h}, ${w}, ${c}] (inputShape)`);
    }
  };

  const siamese = (x1: tf.Tensor4D, x2: tf.Tensor4D, updateStats: boolean): SiameseForward => {
    checkInput(x1, 'x1');
    checkInput(x2, 'x2');
    const x = tf.concat([x1, x2], 0);
    const ctx = context(online, true, updateStats);
    const z = projector.apply(ctx, backbone.apply(ctx, x)) as tf.Tensor2D;
    const [p1, p2] = tf.split(predictor.apply(ctx, z), 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    let zt = z;
    if (target !== null) {
      const tctx = context(target, true, false);
      zt = projector.apply(tctx, backbone.apply(tctx, x)) as tf.Tensor2D;
    }
    const [z1, z2] = tf.split(zt, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const z1Target = sg(z1);
    const z2Target = sg(z2);
    const loss = tf.mul(0.5, tf.add(D(p1, z2Target), D(p2, z1Target))) as tf.Scalar;
    return { loss, p1, p2, z1Target, z2Target };
  };

  const trainable = online.trainable();
  const variables = trainable.map((s) => online.get(s.name));

  const trainStep = (x1: tf.Tensor4D, x2: tf.Tensor4D, lr: { base: number; predictor?: number }): { loss: number } => {
    const computed = tf.variableGrads(() => siamese(x1, x2, true).loss, variables);
    const { value, grads } = options.sync === undefined ? computed : averageOverReplicas(options.sync, computed, variables);
    const named: tf.NamedTensorMap = {};
    trainable.forEach((s, i) => {
      named[s.name] = grads[variables[i]!.name]!;
    });
    const params = trainable.map((s, i) => ({
      name: s.name,
      variable: variables[i]!,
      lr: s.group === 'predictor' && lr.predictor !== undefined ? lr.predictor : lr.base,
      noDecay: s.noDecay,
    }));
    try {
      sgd.step(params, named);
      if (target !== null) {
        const tau = config.emaDecay;
        tf.tidy(() => {
          for (const spec of target.specs) {
            const t = target.get(spec.name);
            t.assign(tf.add(tf.mul(t, tau), tf.mul(online.get(spec.name), 1 - tau)));
          }
        });
      }
      return { loss: value.dataSync()[0]! };
    } finally {
      tf.dispose([value, ...Object.values(grads)]);
    }
  };

  const embed = (x: tf.Tensor4D): { backbone: tf.Tensor2D; projector: tf.Tensor2D } =>
    tf.tidy(() => {
      const ctx = context(online, false, false);
      const features = backbone.apply(ctx, x) as tf.Tensor2D;
      return { backbone: features, projector: projector.apply(ctx, features) as tf.Tensor2D };
    });

  const getState = (): TensorState => {
    const state: TensorState = { ...online.read(), ...(target?.read(TARGET_PREFIX) ?? {}) };
    for (const [name, entry] of Object.entries(sgd.getState())) {
      state[OPTIM_PREFIX + name] = entry;
    }
    return state;
  };

  const setState = (state: TensorState): void => {
    online.write(state);
    target?.write(state, TARGET_PREFIX);
    const momentum: TensorState = {};
    for (const [key, entry] of Object.entries(state)) {
      if (key.startsWith(OPTIM_PREFIX)) {
        momentum[key.slice(OPTIM_PREFIX.length)] = entry;
      }
    }
    sgd.setState(momentum);
  };

  return {
    config,
    paramCount: online.trainableCount(),
    featureDim: backbone.outDim,
    forward: (x1, x2, opts) => siamese(x1, x2, opts?.updateStats ?? false),
    trainableVariables: () => Object.fromEntries(trainable.map((s, i) => [s.name, variables[i]!])),
    embed,
    trainStep,
    getState,
    setState,
    dispose: () => {
      online.dispose();
      target?.dispose();
      sgd.dispose();
    },
  };
}
