/**
 * Creates and owns the variables of one network from its `ParamSpec`s. Initial values depend only on the seed and
 * the parameter's name (a hash of both seeds the tfjs initializer), so they are the same on every backend and do not
 * change when other parameters are added.
 */
import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from './module-types.ts';

/** A state key that is not in the store, or a value of the wrong shape. */
export class ModelStateError extends Error {
  override readonly name = 'ModelStateError';

  constructor(key: string, detail: string) {
    super(`model state '${key}': ${detail}`);
  }
}

/** FNV-1a of the name mixed with the seed: a 31-bit seed per parameter. */
export function paramSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) {
    h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  }
  return (h >>> 0) % 2147483647;
}

function initialValue(spec: ParamSpec, seed: number): tf.Tensor {
  const s = paramSeed(seed, spec.name);
  switch (spec.init.kind) {
    case 'he-normal':
      return tf.initializers.heNormal({ seed: s }).apply(spec.shape);
    case 'uniform-fan-in': {
      const bound = 1 / Math.sqrt(spec.init.fanIn);
      return tf.randomUniform(spec.shape, -bound, bound, 'float32', s);
    }
    case 'constant':
      return tf.fill(spec.shape, spec.init.value);
  }
}

/** The variables of one network, by name, with their specs. */
export class ParamStore {
  readonly specs: ParamSpec[];
  private readonly vars = new Map<string, tf.Variable>();

  /** Creates every variable; `copyFrom` (same specs) copies its values instead of initialising from `seed`. */
  constructor(specs: ParamSpec[], seed: number, copyFrom?: ParamStore) {
    this.specs = specs;
    for (const spec of specs) {
      if (this.vars.has(spec.name)) {
        throw new ModelStateError(spec.name, 'declared twice');
      }
      const value = tf.tidy(() => (copyFrom ? copyFrom.get(spec.name).clone() : initialValue(spec, seed)));
      this.vars.set(spec.name, tf.variable(value, spec.trainable));
      value.dispose();
    }
  }

  /** The variable called `name`; throws `ModelStateError` if there is none. */
  get(name: string): tf.Variable {
    const v = this.vars.get(name);
    if (v === undefined) {
      throw new ModelStateError(name, 'no such parameter');
    }
    return v;
  }

  /** Trainable specs (optionally those whose name passes `filter`). */
  trainable(): ParamSpec[] {
    return this.specs.filter((s) => s.trainable);
  }

  /** Number of trainable scalars. */
  trainableCount(): number {
    return this.trainable().reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Copies every variable's values (keys prefixed by `prefix`). */
  read(prefix = ''): Record<string, { shape: number[]; data: Float32Array }> {
    const out: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [name, v] of this.vars) {
      out[prefix + name] = { shape: [...v.shape], data: Float32Array.from(v.dataSync() as Float32Array) };
    }
    return out;
  }

  /** Assigns every variable from `state[prefix + name]`; throws `ModelStateError` on a missing key or bad shape. */
  write(state: Record<string, { shape: number[]; data: Float32Array }>, prefix = ''): void {
    for (const [name, v] of this.vars) {
      const entry = state[prefix + name];
      if (entry === undefined) {
        throw new ModelStateError(prefix + name, 'missing');
      }
      if (entry.shape.join(',') !== v.shape.join(',') || entry.data.length !== v.size) {
        throw new ModelStateError(prefix + name, `shape [${entry.shape.join(', ')}] != [${v.shape.join(', ')}]`);
      }
    }
    tf.tidy(() => {
      for (const [name, v] of this.vars) {
        const entry = state[prefix + name]!;
        v.assign(tf.tensor(entry.data, entry.shape, 'float32'));
      }
    });
  }

  /** Releases every variable. */
  dispose(): void {
    for (const v of this.vars.values()) {
      v.dispose();
    }
    this.vars.clear();
  }
}
