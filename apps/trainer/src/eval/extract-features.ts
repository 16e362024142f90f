import * as tf from '@tensorflow/tfjs';

/** The part of a Siamese model that evaluation needs: inference-mode embeddings of a batch. */
export interface EmbeddingModel {
  embed(x: tf.Tensor4D): { backbone: tf.Tensor2D; projector: tf.Tensor2D };
}

/** Images of one split: `x` is `n x h x w x c` row-major in [0, 1], `y` the labels. */
export interface ImageSplit {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** Backbone (`n x dBackbone`) and projector (`n x dProjector`) features of selected images, with their labels. */
export interface ExtractedFeatures {
  backbone: Float32Array;
  projector: Float32Array;
  dBackbone: number;
  dProjector: number;
  y: Int32Array;
  n: number;
}

/**
 * Runs the frozen model in inference mode (BN running statistics) over `indices` of a split in
 * batches of `batchSize`, and gathers backbone and projector features as float32 row-major matrices.
 */
export function extractFeatures(
  model: EmbeddingModel,
  split: ImageSplit,
  indices: Int32Array,
  imageShape: readonly [number, number, number],
  batchSize: number,
): ExtractedFeatures {
  const [h, w, c] = imageShape;
  const size = h * w * c;
  const n = indices.length;
  const y = new Int32Array(n);
  let backbone = new Float32Array(0);
  let projector = new Float32Array(0);
  let dBackbone = 0;
  let dProjector = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const batch = new Float32Array((end - start) * size);
    for (let i = start; i < end; i++) {
      const src = indices[i]!;
      y[i] = split.y[src]!;
      batch.set(split.x.subarray(src * size, (src + 1) * size), (i - start) * size);
    }
    tf.tidy(() => {
      const out = model.embed(tf.tensor4d(batch, [end - start, h, w, c]));
      if (start === 0) {
        dBackbone = out.backbone.shape[1];
        dProjector = out.projector.shape[1];
        backbone = new Float32Array(n * dBackbone);
        projector = new Float32Array(n * dProjector);
      }
      backbone.set(out.backbone.dataSync(), start * dBackbone);
      projector.set(out.projector.dataSync(), start * dProjector);
    });
  }
  return { backbone, projector, dBackbone, dProjector, y, n };
}

/** The first `count` indices of a seeded permutation of 0..n-1, sorted (a fixed probe subset). */
export function probeIndices(n: number, count: number, shuffle: (a: Int32Array) => Int32Array): Int32Array {
  const all = shuffle(Int32Array.from({ length: n }, (_, i) => i));
  return all.slice(0, Math.min(count, n)).sort();
}
