/**
 * Registers SiamWatch's replacement kernels for the tfjs wasm backend (see docs/performance.md):
 * `Conv2DBackpropFilter` (missing on wasm), `Conv2DBackpropInput` (phase-split, replaces a naive loop) and a
 * `BatchMatMul` that transposes explicitly. Idempotent; call after `tf.setBackend('wasm')` resolved.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulExplicitTransposeConfig } from './wasm-kernels/batch-matmul-explicit-transpose.ts';
import { conv2dBackpropFilterWasmConfig } from './wasm-kernels/conv2d-backprop-filter.ts';
import { conv2dBackpropInputWasmConfig } from './wasm-kernels/conv2d-backprop-input.ts';

const MARK = Symbol.for('siamwatch.wasmKernels');

/** Replaces (or adds) one kernel for the wasm backend. */
function replaceKernel(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) {
    tf.unregisterKernel(config.kernelName, 'wasm');
  }
  tf.registerKernel(config);
}

/**
 * Registers the replacement wasm kernels once per process and returns the names of the kernels it installed
 * (empty on later calls).
 */
export function registerWasmKernels(): string[] {
  const registry = globalThis as unknown as Record<symbol, boolean>;
  if (registry[MARK] === true) {
    return [];
  }
  const installed: string[] = [];
  replaceKernel(conv2dBackpropFilterWasmConfig);
  installed.push(conv2dBackpropFilterWasmConfig.kernelName);
  replaceKernel(conv2dBackpropInputWasmConfig);
  installed.push(conv2dBackpropInputWasmConfig.kernelName);
  const matMul = tf.getKernel('BatchMatMul', 'wasm');
  if (matMul !== undefined) {
    replaceKernel(batchMatMulExplicitTransposeConfig(matMul));
    installed.push('BatchMatMul');
  }
  registry[MARK] = true;
  return installed;
}
