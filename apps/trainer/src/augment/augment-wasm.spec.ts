import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import pngjs from 'pngjs';
import { describe, it, expect } from 'vitest';
import { loadDataset } from '../data/load-dataset.ts';
import { createRng } from '../util/rng.ts';
import { NATURAL_AUGMENT } from './augment-options.ts';
import { createAugmenter } from './create-augmenter.ts';
import { previewLayout, writePreviewPng } from './preview-png.ts';

/** Both views of the same batch and Rng state on a backend. */
async function viewsOn(backend: string, shape: [number, number, number], natural: boolean): Promise<Float32Array[]> {
  expect(await tf.setBackend(backend)).toBe(true);
  const [h, w, c] = shape;
  const input = createRng(1);
  const x = tf.tensor4d(Float32Array.from({ length: 6 * h * w * c }, () => input.next()), [6, h, w, c]);
  const views = createAugmenter(natural ? NATURAL_AUGMENT : {}, shape).pair(x, createRng(2));
  const out = views.map((v) => v.dataSync() as Float32Array);
  tf.dispose([x, ...views]);
  return out;
}

describe('augmenter on the wasm backend', () => {
  it('gives the same views as the cpu backend (digits and natural presets)', async () => {
    for (const [shape, natural] of [[[14, 14, 1], false], [[12, 12, 3], true]] as [[number, number, number], boolean][]) {
      const cpu = await viewsOn('cpu', shape, natural);
      const wasm = await viewsOn('wasm', shape, natural);
      for (let v = 0; v < 2; v++) {
        let worst = 0;
        for (let i = 0; i < cpu[v].length; i++) worst = Math.max(worst, Math.abs(cpu[v][i] - wasm[v][i]));
        expect(worst).toBeLessThan(1e-4);
      }
    }
  });

  it('writes a preview PNG grid that decodes to the expected size', async () => {
    await tf.setBackend('wasm');
    const dataset = await loadDataset({ name: 'synthetic', seed: 0, imageSize: 14, synthetic: { n: 50, nTest: 10 } });
    const path = join(await mkdtemp(join(tmpdir(), 'preview-')), 'preview.png');
    const size = await writePreviewPng(path, dataset, createAugmenter({}, [14, 14, 1]), createRng(0), 4);
    const png = pngjs.PNG.sync.read(await readFile(path));
    expect(previewLayout([14, 14, 1], 4)).toEqual({ scale: 5, width: 3 * 70 + 8, height: 4 * 70 + 10 });
    expect([png.width, png.height]).toEqual([size.width, size.height]);
    expect([png.width, png.height]).toEqual([218, 290]);
    // the gap is white, the first cell holds the (gray) image
    expect(png.data[0]).toBe(255);
    const inside = 4 * (10 * png.width + 10);
    expect(png.data[inside]).toBe(png.data[inside + 1]);
    expect(png.data[inside]).toBeLessThan(255);
  });
});
