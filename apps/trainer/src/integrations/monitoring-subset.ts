import type { EmbeddingBatch } from '@siamwatch/monitor';
import { extractFeatures, probeIndices, type EmbeddingModel, type ImageSplit } from '../eval/extract-features.ts';
import { createRng, deriveSeed } from '../util/rng.ts';

/** Default number of training images the monitor embeds at every check. */
export const DEFAULT_MONITOR_SUBSET = 256;

/** Raised for a bad monitoring-subset size; the message names the value. */
export class MonitoringSubsetError extends Error {
  override readonly name = 'MonitoringSubsetError';
}

/** Backbone (`n x dBackbone`) and projector (`n x dProjector`) rows of the monitoring subset. */
export interface SubsetEmbeddings {
  backbone: EmbeddingBatch;
  projector: EmbeddingBatch;
}

/**
 * A fixed monitoring subset of the training images: `size` indices (at most n) of a seeded
 * permutation, the same at every check and after a resume, so successive spectra differ only
 * because the model changed. `embed` runs the model in inference mode (BN running statistics, no
 * augmentation) over the subset and returns both outputs as `n x d` row-major matrices.
 */
export class MonitoringSubset {
  readonly indices: Int32Array;

  constructor(
    private readonly split: ImageSplit,
    private readonly imageShape: readonly [number, number, number],
    size: number = DEFAULT_MONITOR_SUBSET,
    seed = 0,
    private readonly batchSize = 256,
  ) {
    if (!Number.isInteger(size) || size < 2) throw new MonitoringSubsetError(`monitoring subset size must be an integer >= 2, got ${size}`);
    if (split.n < 2) throw new MonitoringSubsetError(`monitoring subset needs at least 2 training images, got ${split.n}`);
    this.indices = probeIndices(split.n, size, (a) => createRng(deriveSeed(seed, 0x3017)).shuffle(a));
  }

  /** Embeds the subset with the current weights (inference mode). */
  embed(model: EmbeddingModel): SubsetEmbeddings {
    const f = extractFeatures(model, this.split, this.indices, this.imageShape, this.batchSize);
    return {
      backbone: { data: f.backbone, n: f.n, d: f.dBackbone },
      projector: { data: f.projector, n: f.n, d: f.dProjector },
    };
  }
}
