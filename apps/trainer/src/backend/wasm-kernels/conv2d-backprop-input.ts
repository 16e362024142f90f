/**
 * `Conv2DBackpropInput` for the wasm backend (its own kernel is a naive loop): the input gradient of a stride-s NHWC
 * convolution split into s*s phases, each an ordinary stride-1 `Conv2D` (XNNPACK) of dy with a flipped sub-filter.
 *
 * With h + pt = s*q + r, dx[h] = sum_j dy[q - j] * W[r + s*j]: for each row phase r (and column phase) the taps
 * kh = r, r+s, ... are flipped into a stride-1 filter, transposed to [kh', kw', co, ci] and correlated with dy
 * padded by (taps - 1) on top/left. Each phase output is scattered into its rows/columns of dx in one pass.
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
    const out = run.fromValues([n, h, w, ci]);
    for (let rh = 0; rh < s[0]; rh++) {
      for (let rw = 0; rw < s[1]; rw++) {
        const sub = phaseFilter(weights, filter.shape, s, rh, rw);
        if (sub !== null) {
          const phase = phaseOutput(run, dy, sub, grid);
          // Heap views are taken after the allocations: a growing wasm heap detaches older views.
          const views = [run.backend.typedArrayFromHeap(phase), run.backend.typedArrayFromHeap(out)] as const;
          scatterPhase(views[0], views[1], [n, h, w, ci], grid, s, [rh, rw], [top, left]);
        }
      }
    }
    return out;
  });
}

/**
 * Writes phase (rh, rw), an `n x a x b x ci` grid, into dx (`n x h x w x ci`): grid cell (q, p) is
 * dx[s0*q + rh - top, s1*p + rw - left] when that lies inside the image.
 */
function scatterPhase(
  phase: Float32Array,
  dx: Float32Array,
  [n, h, w, ci]: [number, number, number, number],
  [, a, b]: [number, number, number, number],
  s: [number, number],
  [rh, rw]: [number, number],
  [top, left]: [number, number],
): void {
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < a; q++) {
      const y = s[0] * q + rh - top;
      if (y < 0 || y >= h) {
        continue;
      }
      for (let p = 0; p < b; p++) {
        const x = s[1] * p + rw - left;
        if (x < 0 || x >= w) {
          continue;
        }
        const src = ((i * a + q) * b + p) * ci;
        dx.set(phase.subarray(src, src + ci), ((i * h + y) * w + x) * ci);
      }
    }
  }
}

/** Kernel config to pass to `tf.registerKernel` (backend `wasm`). */
export const conv2dBackpropInputWasmConfig: tf.KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
