/**
 * `writePreviewPng`: a PNG grid to eyeball the augmentations before training (the `--preview`
 * flag of `siamwatch train`). One row per sampled training image: the original, then its two
 * augmented views, each upscaled by an integer factor (nearest) to about 64 px, 2 px gaps.
 */
import { writeFileAtomic } from '@siamwatch/embedding-io';
import * as tf from '@tensorflow/tfjs';
import pngjs from 'pngjs';
import type { Dataset } from '../data/dataset-types.ts';
import type { Rng } from '../util/rng.ts';
import { AugmentError } from './augment-options.ts';
import type { Augmenter } from './create-augmenter.ts';

const GAP = 2;
const TARGET_CELL = 64;

/** Layout of a preview grid for images of `imageShape` with `pairs` rows. */
export function previewLayout(imageShape: readonly [number, number, number], pairs: number): { scale: number; width: number; height: number } {
  const [h, w] = imageShape;
  const scale = Math.max(1, Math.round(TARGET_CELL / Math.max(h, w)));
  return { scale, width: 3 * w * scale + 4 * GAP, height: pairs * h * scale + (pairs + 1) * GAP };
}

/**
 * Renders `pairs` random training images (picked with `rng`) and two views each; writes the PNG
 * atomically (embedding-io's writeFileAtomic) to `path`. Returns the image size. Throws {@link AugmentError}
 * for a bad `pairs` or a dataset whose image shape differs from the augmenter's.
 */
export async function writePreviewPng(path: string, dataset: Dataset, augmenter: Augmenter, rng: Rng, pairs: number): Promise<{ width: number; height: number }> {
  if (!Number.isInteger(pairs) || pairs < 1 || pairs > 256) throw new AugmentError(`pairs ${String(pairs)} must be an integer in [1, 256]`);
  const [h, w, c] = dataset.imageShape;
  if (augmenter.imageShape.join('x') !== dataset.imageShape.join('x')) {
    throw new AugmentError(`dataset images ${dataset.imageShape.join('x')} differ from the augmenter's ${augmenter.imageShape.join('x')}`);
  }
  const size = h * w * c;
  const batch = new Float32Array(pairs * size);
  for (let k = 0; k < pairs; k++) {
    const i = rng.int(dataset.train.n);
    batch.set(dataset.train.x.subarray(i * size, (i + 1) * size), k * size);
  }
  const x = tf.tensor4d(batch, [pairs, h, w, c]);
  const [v1, v2] = augmenter.pair(x, rng);
  const columns = [batch, v1.dataSync() as Float32Array, v2.dataSync() as Float32Array];
  tf.dispose([x, v1, v2]);

  const { scale, width, height } = previewLayout(dataset.imageShape, pairs);
  const png = new pngjs.PNG({ width, height });
  png.data.fill(255);
  columns.forEach((images, col) => {
    for (let k = 0; k < pairs; k++) {
      const left = GAP + col * (w * scale + GAP);
      const top = GAP + k * (h * scale + GAP);
      for (let y = 0; y < h * scale; y++) {
        for (let xx = 0; xx < w * scale; xx++) {
          const src = k * size + (Math.floor(y / scale) * w + Math.floor(xx / scale)) * c;
          const dst = 4 * ((top + y) * width + left + xx);
          for (let ch = 0; ch < 3; ch++) png.data[dst + ch] = Math.round(255 * Math.min(1, Math.max(0, images[src + (c === 3 ? ch : 0)])));
          png.data[dst + 3] = 255;
        }
      }
    }
  });
  await writeFileAtomic(path, pngjs.PNG.sync.write(png));
  return { width, height };
}
