/**
 * `Conv2DBackpropInput` for the wasm backend (its own kernel is a naive loop): the input gradient of a stride-s NHWC
 * convolution split into s*s phases, each an ordinary stride-1 `Conv2D` (XNNPACK) of dy with a flipped sub-filter.
 *
 * With h + pt = s*q + r, dx[h] = sum_j dy[q - j] * W[r + s*j]: for each row phase r (and column phase) the taps
 * kh = r, r+s, ... are flipped into a stride-1 filter, transposed to [kh', kw', co, ci] and correlated with dy
 * padded by (taps - 1) on top/left. The s*s phase outputs are interleaved (Pack + Reshape) and cropped to h x w.
 */
import * as tf from '@tensorflow/tfjs';
import { KernelAttributeError } from '../backend-errors.ts';
import { type KernelRunner, withRunner } from './kernel-runner.ts';

type PadAttr = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];

/** The flipped, transposed sub-filter [jh, jw, co, ci] of phase (rh, rw), or null when the phase has no taps. */
function phaseFilter(
  w: Float32Array,
  [kh, kw, ci, co]: number[],
  s: [number, number],
  rh: number,
  rw: number,
): { shape: number[]; values: Float32Array } | null {
  const jh = Math.max(0, Math.ceil((kh - rh) / s[0]));
  const jw = Math.max(0, Math.ceil((kw - rw) / s[1]));
  if (jh === 0 || jw === 0) {
    return null;
  }
  const values = new Float32Array(jh * jw * co * ci);
  for (let a = 0; a < jh; a++) {
    const srcH = rh + s[0] * (jh - 1 - a);
    for (let b = 0; b < jw; b++) {
      const srcW = rw + s[1] * (jw - 1 - b);
      const src = (srcH * kw + srcW) * ci * co;
      const dst = (a * jw + b) * co * ci;
      for (let i = 0; i < ci; i++) {
        for (let o = 0; o < co; o++) {
          values[dst + o * ci + i] = w[src + i * co + o]!;
        }
      }
    }
  }
  return { shape: [jh, jw, co, ci], values };
}

/** One phase: stride-1 convolution of dy giving an n x a x b x ci grid (zeros if the phase has no taps). */
function phaseOutput(
  run: KernelRunner,
  dy: tf.TensorInfo,
  filter: { shape: number[]; values: Float32Array } | null,
  grid: [number, number, number, number],
): tf.TensorInfo {
  if (filter === null) {
    return run.fromValues(grid);
  }
  const [n, a, b] = grid;
  const [jh, jw] = filter.shape as [number, number];
  let input = dy;
  const [, oh, ow, co] = dy.shape as [number, number, number, number];
  if (oh > a || ow > b) {
    input = run.run('Slice', { x: dy }, { begin: [0, 0, 0, 0], size: [n, Math.min(oh, a), Math.min(ow, b), co] });
  }
  const f = run.fromValues(filter.shape, filter.values);
  return run.run(
    'Conv2D',
    { x: input, filter: f },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: [
        [0, 0],
        [jh - 1, Math.max(0, a - oh)],
        [jw - 1, Math.max(0, b - ow)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
}

/** Kernel function: inputs `{ dy: n x oh x ow x co, filter: kh x kw x ci x co }`, attrs as tfjs' kernel. */
export function conv2dBackpropInputWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const { inputs, backend } = args;
  const attrs = (args.attrs ?? {}) as Record<string, unknown>;
  const dy = inputs['dy'] as tf.TensorInfo;
  const filter = inputs['filter'] as tf.TensorInfo;
  const dataFormat = (attrs['dataFormat'] as string | undefined) ?? 'NHWC';
  if (dataFormat !== 'NHWC') {
    throw new KernelAttributeError('Conv2DBackpropInput', 'dataFormat', dataFormat);
  }
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    attrs['strides'] as [number, number] | number,
    1,
    attrs['pad'] as PadAttr,
    attrs['dimRoundingMode'] as 'floor' | 'round' | 'ceil' | undefined,
  );
  const s: [number, number] = [info.strideHeight, info.strideWidth];
  const [n, h, w, ci] = inputShape;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const a = Math.ceil((h + top) / s[0]);
  const b = Math.ceil((w + left) / s[1]);
  const grid: [number, number, number, number] = [n, a, b, ci];

  return withRunner(backend, 'wasm', (run) => {
    const weights = run.backend.readSync(filter.dataId);
    const rowsOfPhases: tf.TensorInfo[] = [];
    for (let rh = 0; rh < s[0]; rh++) {
      const phases: tf.TensorInfo[] = [];
      for (let rw = 0; rw < s[1]; rw++) {
        phases.push(phaseOutput(run, dy, phaseFilter(weights, filter.shape, s, rh, rw), grid));
      }
      const packed = s[1] === 1 ? phases[0]! : run.run('Pack', phases, { axis: 3 });
      rowsOfPhases.push(run.run('Reshape', { x: packed }, { shape: [n, a, b * s[1], ci] }));
    }
    const packedRows = s[0] === 1 ? rowsOfPhases[0]! : run.run('Pack', rowsOfPhases, { axis: 2 });
    const full = run.run('Reshape', { x: packedRows }, { shape: [n, a * s[0], b * s[1], ci] });
    return run.run('Slice', { x: full }, { begin: [0, top, left, 0], size: [n, h, w, ci] });
  });
}

/** Kernel config to pass to `tf.registerKernel` (backend `wasm`). */
export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
