import { AUGMENT_PRESETS, resolveAugmentOptions, type AugmentOptions } from '../augment/augment-options.ts';
import { createAugmenter, type Augmenter } from '../augment/create-augmenter.ts';
import { writePreviewPng } from '../augment/preview-png.ts';
import { resolveBackend } from '../backend/resolve-backend.ts';
import type { Dataset } from '../data/dataset-types.ts';
import { loadDataset } from '../data/load-dataset.ts';
import { createSiameseModel } from '../model/siamese-model.ts';
import { createDataParallelModel } from '../parallel/data-parallel-model.ts';
import { datasetSpecOf } from './trainer-options.ts';
import { ConfigError } from '../config/train-config.ts';
import type { TrainData, TrainerDeps, TrainableModel } from './trainer-deps.ts';

/**
 * The real heavy implementations behind {@link TrainerDeps}: backend resolution and the Siamese
 * model (Engineer M), data loading, augmentation and the preview PNG (Engineer D).
 */
export const defaultTrainerDeps = {
  resolveBackend: async (choice, log) => resolveBackend(choice, log),
  loadDataset: async (config) => (await loadDataset(datasetSpecOf(config) as Parameters<typeof loadDataset>[0])) as TrainData,
  createModel: ({ weightDecay, workers, ...spec }, seed) =>
    (workers !== undefined && workers > 1
      ? createDataParallelModel(spec, seed, { workers, weightDecay })
      : createSiameseModel(spec, seed, { weightDecay })) as TrainableModel,
  createAugmenter: (config, imageShape) => {
    const { preset, ...overrides } = structuredClone(config.augment) as Partial<AugmentOptions> & { preset?: string };
    const base = preset === undefined ? undefined : AUGMENT_PRESETS[preset as keyof typeof AUGMENT_PRESETS];
    if (preset !== undefined && base === undefined) {
      throw new ConfigError(`augment.preset: expected one of ${Object.keys(AUGMENT_PRESETS).join(', ')} (got ${JSON.stringify(preset)})`, 'augment.preset');
    }
    return createAugmenter(resolveAugmentOptions(overrides, base), imageShape);
  },
  writePreview: async (path, data, augmenter, rng, pairs) => {
    await writePreviewPng(path, data as Dataset, augmenter as Augmenter, rng, pairs);
  },
} satisfies Pick<TrainerDeps, 'resolveBackend' | 'loadDataset' | 'createModel' | 'createAugmenter' | 'writePreview'>;
