/**
 * Momentum SGD with coupled weight decay, exactly PyTorch's `torch.optim.SGD` (dampening 0, no Nesterov) as SimSiam
 * uses it: g' = g + wd * w; buf = momentum * buf + g'; w = w - lr * buf. Each parameter has its own learning rate
 * (SimSiam's `fix_pred_lr` keeps the predictor at the base lr while the rest follows the cosine schedule).
 * Weight decay applies to every parameter, BN and biases included, as SimSiam does; `decayBnAndBias: false`
 * exempts parameters flagged `noDecay`. Momentum buffers are created lazily and are part of `getState()`.
 */
import * as tf from '@tensorflow/tfjs';
import { OptimizerOptionError, OptimizerStateError } from './optim-errors.ts';

/** Options of `createSgd`: momentum (default 0.9), weight decay (default 0), whether BN/bias weights decay. */
export interface SgdOptions {
  momentum?: number;
  weightDecay?: number;
  decayBnAndBias?: boolean;
}

/** A parameter handed to `Sgd.step`: its name (state key), variable, learning rate and decay exemption. */
export interface SgdParam {
  name: string;
  variable: tf.Variable;
  lr: number;
  noDecay?: boolean;
}

/** Serialisable tensor state: name -> shape and values. */
export type TensorState = Record<string, { shape: number[]; data: Float32Array }>;

/** The optimizer: one update per `step`, momentum buffers in `getState()`/`setState()`. */
export interface Sgd {
  readonly momentum: number;
  readonly weightDecay: number;
  step(params: readonly SgdParam[], grads: tf.NamedTensorMap): void;
  getState(): TensorState;
  setState(state: TensorState): void;
  dispose(): void;
}

/** Creates momentum SGD (PyTorch semantics). Throws `OptimizerOptionError` for momentum outside [0, 1). */
export function createSgd(options: SgdOptions = {}): Sgd {
  const momentum = options.momentum ?? 0.9;
  const weightDecay = options.weightDecay ?? 0;
  const decayBnAndBias = options.decayBnAndBias ?? true;
  if (!Number.isFinite(momentum) || momentum < 0 || momentum >= 1) {
    throw new OptimizerOptionError('momentum', momentum, 'a number in [0, 1)');
  }
  if (!Number.isFinite(weightDecay) || weightDecay < 0) {
    throw new OptimizerOptionError('weightDecay', weightDecay, 'a finite number >= 0');
  }
  const buffers = new Map<string, tf.Variable>();

  const step = (params: readonly SgdParam[], grads: tf.NamedTensorMap): void => {
    tf.tidy(() => {
      for (const p of params) {
        const grad = grads[p.name];
        if (grad === undefined) {
          throw new OptimizerStateError(p.name, 'no gradient given for this parameter');
        }
        if (!Number.isFinite(p.lr) || p.lr < 0) {
          throw new OptimizerOptionError(`lr of ${p.name}`, p.lr, 'a finite number >= 0');
        }
        const decay = p.noDecay === true && !decayBnAndBias ? 0 : weightDecay;
        const g = decay > 0 ? tf.add(grad, tf.mul(p.variable, decay)) : grad;
        let buf = buffers.get(p.name);
        if (buf === undefined) {
          buf = tf.variable(tf.zerosLike(p.variable), false);
          buffers.set(p.name, buf);
        }
        const next = momentum > 0 ? tf.add(tf.mul(buf, momentum), g) : g;
        buf.assign(next);
        p.variable.assign(tf.sub(p.variable, tf.mul(next, p.lr)));
      }
    });
  };

  const getState = (): TensorState => {
    const state: TensorState = {};
    for (const [name, buf] of buffers) {
      state[name] = { shape: [...buf.shape], data: Float32Array.from(buf.dataSync() as Float32Array) };
    }
    return state;
  };

  const setState = (state: TensorState): void => {
    for (const [name, entry] of Object.entries(state)) {
      const size = entry.shape.reduce((a, b) => a * b, 1);
      if (entry.data.length !== size) {
        throw new OptimizerStateError(name, `shape [${entry.shape.join(', ')}] but ${entry.data.length} values`);
      }
    }
    for (const [name, buf] of buffers) {
      if (!(name in state)) {
        buf.dispose();
        buffers.delete(name);
      }
    }
    for (const [name, entry] of Object.entries(state)) {
      const buf = buffers.get(name);
      if (buf !== undefined && buf.shape.join(',') === entry.shape.join(',')) {
        tf.tidy(() => buf.assign(tf.tensor(entry.data, entry.shape, 'float32')));
      } else {
        buf?.dispose();
        buffers.set(name, tf.tidy(() => tf.variable(tf.tensor(entry.data, entry.shape, 'float32'), false)));
      }
    }
  };

  const dispose = (): void => {
    for (const buf of buffers.values()) {
      buf.dispose();
    }
    buffers.clear();
  };

  return { momentum, weightDecay, step, getState, setState, dispose };
}
