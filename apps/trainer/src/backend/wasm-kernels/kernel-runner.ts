/**
 * Calls other kernels of the same backend from inside a kernel implementation, the way tfjs backends compose
 * kernels (ops cannot be used inside a kernel: they would be invisible to the gradient tape and leak tensors).
 * Intermediate results are released with `disposeTemps()`; the one returned to the engine is `keep()`-ed.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelMissingError } from '../backend-errors.ts';

/** Minimal surface of a tfjs backend used by the replacement kernels (wasm: `BackendWasm`). */
export interface HeapBackend extends tf.KernelBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  readSync(dataId: tf.TensorInfo['dataId']): Float32Array;
}

/** Runs kernels of one backend by name and tracks the intermediate `TensorInfo`s it created. */
export class KernelRunner {
  private readonly temps: tf.TensorInfo[] = [];

  constructor(
    readonly backend: HeapBackend,
    readonly backendName: string,
  ) {}

  /** Runs kernel `name` with the given inputs and attributes; the output is disposed by `disposeTemps()`. */
  run(name: string, inputs: tf.NamedTensorInfoMap | tf.TensorInfo[], attrs: tf.NamedAttrMap = {}): tf.TensorInfo {
    const config = tf.getKernel(name, this.backendName);
    if (config === undefined) {
      throw new KernelMissingError(name, this.backendName);
    }
    const out = config.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      attrs,
      backend: this.backend,
    }) as tf.TensorInfo;
    this.temps.push(out);
    return out;
  }

  /** A new float32 output of `shape` filled from `values` (or zeros). */
  fromValues(shape: number[], values?: Float32Array): tf.TensorInfo {
    const out = this.backend.makeOutput(shape, 'float32');
    const heap = this.backend.typedArrayFromHeap(out);
    if (values === undefined) {
      heap.fill(0);
    } else {
      heap.set(values);
    }
    this.temps.push(out);
    return out;
  }

  /** Removes `info` from the intermediates so that it survives `disposeTemps()` (the kernel's result). */
  keep(info: tf.TensorInfo): tf.TensorInfo {
    const index = this.temps.indexOf(info);
    if (index >= 0) {
      this.temps.splice(index, 1);
    }
    return info;
  }

  /** Releases every intermediate created through this runner (reshape outputs share data by ref-count). */
  disposeTemps(): void {
    for (const info of this.temps.splice(0)) {
      this.backend.disposeData(info.dataId);
    }
  }
}

/** Runs `body` with a fresh runner, keeping its result and releasing everything else, also on error. */
export function withRunner(
  backend: tf.KernelBackend,
  backendName: string,
  body: (runner: KernelRunner) => tf.TensorInfo,
): tf.TensorInfo {
  const runner = new KernelRunner(backend as HeapBackend, backendName);
  try {
    return runner.keep(body(runner));
  } finally {
    runner.disposeTemps();
  }
}
