import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from './resolve-backend.ts';

/** Deterministic uniform(-1, 1) values (a tiny LCG; the test needs reproducible, not good, randomness). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let state = seed >>> 0;
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Runs `fn` on `backend` with fresh tensors built from `inputs` and returns the outputs' values. */
async function onBackend(
  backend: string,
  inputs: { shape: number[]; data: Float32Array }[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor[],
): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => fn(...inputs.map((i) => tf.tensor(i.data, i.shape))).map((t) => t.dataSync() as Float32Array));
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / Math.max(scale, 1e-12);
}

interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  co: number;
  stride: number | [number, number];
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

const CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], k: [3, 3], co: 4, stride: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], co: 4, stride: 1, pad: 'valid' },
  { x: [3, 9, 9, 2], k: [3, 3], co: 5, stride: 2, pad: 'same' },
  { x: [3, 9, 9, 2], k: [3, 3], co: 5, stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], k: [3, 3], co: 3, stride: 2, pad: 'same' },
  { x: [2, 10, 10, 4], k: [3, 3], co: 3, stride: 2, pad: 'valid' },
  { x: [1, 11, 6, 3], k: [5, 3], co: 2, stride: [2, 1], pad: 'same' },
  { x: [2, 9, 8, 3], k: [1, 1], co: 6, stride: 2, pad: 'valid' },
  { x: [2, 13, 13, 5], k: [5, 5], co: 7, stride: 3, pad: 'valid' },
  { x: [1, 4, 4, 1], k: [4, 4], co: 1, stride: 1, pad: 'valid' },
  { x: [2, 28, 28, 1], k: [3, 3], co: 4, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { x: [2, 7, 7, 6], k: [3, 3], co: 5, stride: 2, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
];

describe('replacement wasm kernels against the cpu backend', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  for (const c of CASES) {
    const label = `x ${c.x.join('x')}, kernel ${c.k.join('x')}, stride ${String(c.stride)}, ${JSON.stringify(c.pad)}`;
    it(`Conv2DBackpropFilter and Conv2DBackpropInput match cpu to 1e-4 (${label})`, async () => {
      const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.co];
      const out = tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape);
      const x = { shape: c.x, data: values(c.x.reduce((a, b) => a * b), 1) };
      const w = { shape: filterShape, data: values(filterShape.reduce((a, b) => a * b), 2) };
      const dy = { shape: out, data: values(out.reduce((a, b) => a * b), 3) };
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC' };
      const kernels = (xt: tf.Tensor, wt: tf.Tensor, dyt: tf.Tensor): tf.Tensor[] => [
        tf.engine().runKernel('Conv2DBackpropFilter', { x: xt, dy: dyt }, { ...attrs, filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor,
        tf.engine().runKernel('Conv2DBackpropInput', { dy: dyt, filter: wt }, { ...attrs, inputShape: c.x } as unknown as tf.NamedAttrMap) as tf.Tensor,
      ];
      const expected = await onBackend('cpu', [x, w, dy], kernels);
      const actual = await onBackend('wasm', [x, w, dy], kernels);
      expect(relativeError(actual[0]!, expected[0]!)).toBeLessThan(1e-4);
      expect(relativeError(actual[1]!, expected[1]!)).toBeLessThan(1e-4);
    });
  }

  it('gradients of a conv2d loss (through the replaced kernels) match cpu', async () => {
    const x = { shape: [2, 9, 9, 3], data: values(486, 4) };
    const w = { shape: [3, 3, 3, 4], data: values(108, 5) };
    const grads = (xt: tf.Tensor, wt: tf.Tensor): tf.Tensor[] =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').square().sum())([xt, wt]);
    const expected = await onBackend('cpu', [x, w], grads);
    const actual = await onBackend('wasm', [x, w], grads);
    expect(relativeError(actual[0]!, expected[0]!)).toBeLessThan(1e-4);
    expect(relativeError(actual[1]!, expected[1]!)).toBeLessThan(1e-4);
  });

  it('BatchMatMul with transposeA / transposeB matches cpu, and so do matMul gradients', async () => {
    const a = { shape: [2, 7, 5], data: values(70, 6) };
    const b = { shape: [2, 7, 3], data: values(42, 7) };
    const c = { shape: [2, 3, 5], data: values(30, 8) };
    const fn = (at: tf.Tensor, bt: tf.Tensor, ct: tf.Tensor): tf.Tensor[] => [
      tf.matMul(at as tf.Tensor3D, bt as tf.Tensor3D, true, false),
      tf.matMul(at as tf.Tensor3D, ct as tf.Tensor3D, false, true),
      tf.matMul(bt as tf.Tensor3D, ct as tf.Tensor3D, false, false),
      ...tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor3D, q as tf.Tensor3D, true).sin().sum())([at, bt]),
    ];
    const expected = await onBackend('cpu', [a, b, c], fn);
    const actual = await onBackend('wasm', [a, b, c], fn);
    expect(expected).toHaveLength(5);
    for (let i = 0; i < expected.length; i++) {
      expect(relativeError(actual[i]!, expected[i]!)).toBeLessThan(1e-4);
    }
  });

  it('the replaced kernels leak no tensors and no backend data', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const dataBefore = tf.engine().backend.numDataIds();
    const x = tf.randomNormal([2, 9, 9, 3]);
    const w = tf.randomNormal([3, 3, 3, 4]);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').sum());
    tf.dispose(g([x, w]));
    tf.dispose([x, w]);
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore);
  });
});
