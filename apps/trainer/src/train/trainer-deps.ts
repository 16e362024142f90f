import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../config/train-config.ts';
import type { ModelConfig } from '../model/model-config.ts';
import type { EmbeddingModel, ImageSplit } from '../eval/extract-features.ts';
import type { TensorState } from '../run/checkpoint.ts';
import type { Rng } from '../util/rng.ts';
import type { TrainerHooks, TrainLogger } from './trainer-types.ts';

/** The model contract the loop relies on (Engineer M's `SiameseModel`). */
export interface TrainableModel extends EmbeddingModel {
  trainStep(x1: tf.Tensor4D, x2: tf.Tensor4D, lr: { base: number; predictor?: number }): { loss: number };
  paramCount: number;
  getState(): Record<string, TensorState>;
  setState(state: Record<string, TensorState>): void;
  dispose(): void;
}

/** The model options the loop derives from the config: the model's own `ModelConfig` plus training extras. */
export interface ModelSpec extends ModelConfig {
  weightDecay?: number;
  /** Data-parallel worker threads (>= 2: `createDataParallelModel`). */
  workers?: number;
}

/** The dataset contract (Engineer D's `Dataset`). */
export interface TrainData {
  name: string;
  imageShape: [number, number, number];
  numClasses: number;
  train: ImageSplit;
  test: ImageSplit;
}

/** Two augmented views per image (Engineer D's `Augmenter`). */
export interface PairAugmenter {
  pair(x: tf.Tensor4D, rng: Rng): [tf.Tensor4D, tf.Tensor4D];
}

/** The data-order contract (Engineer D's `RegimeScheduler`). */
export interface BatchScheduler {
  batchIndices(step: number): Int32Array;
  readonly regime: string;
  /** The phase the batch of `step` is drawn in (hybrid: `continual`, then `iid`). */
  phaseAt?(step: number): { phase: string };
  switchTo(regime: 'iid' | 'continual', atStep: number): void;
  seenExamples(step: number): number;
  getState(): unknown;
  setState(state: never): void;
}

/**
 * What the trainer is built from. Every factory defaults to the real implementation; tests inject
 * fakes or spies, and telemetry/monitor attach through `hooks`.
 */
export interface TrainerDeps {
  logger?: TrainLogger;
  hooks?: TrainerHooks[];
  /** Milliseconds clock used for throughput and checkpoint-by-seconds (default `performance.now`). */
  now?: () => number;
  resolveBackend?: (choice: TrainConfig['backend'], log?: (line: string) => void) => Promise<{ backend: string }>;
  loadDataset?: (config: TrainConfig) => Promise<TrainData>;
  createModel?: (spec: ModelSpec, seed: number) => TrainableModel;
  createAugmenter?: (config: TrainConfig, imageShape: [number, number, number]) => PairAugmenter;
  createScheduler?: (config: TrainConfig, numTrain: number, totalSteps: number) => BatchScheduler;
  cosineLr?: (args: { base: number; step: number; totalSteps: number; warmupSteps?: number }) => number;
  writePreview?: (path: string, data: TrainData, augmenter: PairAugmenter, rng: Rng, pairs: number) => Promise<void> | void;
}

/** A logger that drops everything (the default when none is injected). */
export const silentLogger: TrainLogger = {
  info: () => undefined,
  warn: () => undefined,
};
