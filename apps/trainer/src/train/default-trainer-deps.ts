import { createAugmenter, writePreviewPng } from '../augment/create-augmenter.ts';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { loadDataset } from '../data/load-dataset.ts';
import { createSiameseModel } from '../model/siamese-model.ts';
import { datasetSpecOf } from './trainer-options.ts';
import type { PairAugmenter, TrainData, TrainerDeps, TrainableModel } from './trainer-deps.ts';

/**
 * The real heavy implementations behind {@link TrainerDeps}: backend resolution and the Siamese
 * model (Engineer M), data loading, augmentation and the preview PNG (Engineer D).
 */
export const defaultTrainerDeps = {
  resolveBackend: async (choice, log) => resolveBackend(choice, log),
  loadDataset: async (config) => (await loadDataset(datasetSpecOf(config) as Parameters<typeof loadDataset>[0])) as TrainData,
  createModel: ({ weightDecay, ...spec }, seed) => createSiameseModel(spec, seed, { weightDecay }) as TrainableModel,
  createAugmenter: (config, imageShape) =>
    createAugmenter(structuredClone(config.augment) as Parameters<typeof createAugmenter>[0], imageShape) as PairAugmenter,
  writePreview: async (path, data, augmenter, rng, pairs) => {
    await writePreviewPng(
      path,
      data as unknown as Parameters<typeof writePreviewPng>[1],
      augmenter as Parameters<typeof writePreviewPng>[2],
      rng,
      pairs,
    );
  },
} satisfies Pick<TrainerDeps, 'resolveBackend' | 'loadDataset' | 'createModel' | 'createAugmenter' | 'writePreview'>;
