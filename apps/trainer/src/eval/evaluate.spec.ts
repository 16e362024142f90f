import * as tf from '@tensorflow/tfjs';
import { collapseMetrics } from '@siamwatch/collapse-metrics';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, type EvaluationData } from './evaluate.ts';
import type { EmbeddingModel } from './extract-features.ts';

/** The identity map on 2x2 images: features are the 4 pixels. */
const identity: EmbeddingModel = {
  embed(x) {
    const flat = x.reshape([x.shape[0], 4]) as tf.Tensor2D;
    return { backbone: flat, projector: tf.relu(flat) as tf.Tensor2D };
  },
};

function split(n: number, pixel: (i: number, j: number) => number) {
  const x = new Float32Array(n * 4).map((_, k) => pixel(Math.floor(k / 4), k % 4));
  return { x, y: Int32Array.from({ length: n }, (_, i) => i % 2), n };
}

// train images vary along one direction only (rank one after centring); test images in all four
const data: EvaluationData = {
  imageShape: [2, 2, 1],
  numClasses: 2,
  train: split(40, (i) => (i % 5) / 5),
  test: split(40, (i, j) => Math.abs(Math.sin(12.9898 * (i + 1) * (j + 3)))),
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('evaluate: the training-set spectrum (the paper authors\u2019 protocol)', () => {
  it('takes trainBackbone on the train-probe images, un-augmented and not normalised, apart from the test-probe spectrum', () => {
    const result = evaluate(identity, data, { probeTrain: 40, probeTest: 40, batchSize: 16, knnK: 5, knnTemperature: 0.1, seed: 1 });
    expect(result.trainBackbone.dim).toBe(4);
    // rank one: the train spectrum is collapsed, the test one is not
    expect(result.trainBackbone.auc).toBeCloseTo(1, 6);
    expect(result.backbone.auc).toBeLessThan(0.9);
    // the same figure as collapse-metrics on the raw (centred, unnormalised) train images
    expect(result.trainBackbone.singularValues).toEqual(Array.from(collapseMetrics(data.train.x, 40, 4).singularValues));
    expect(result.subsetBackbone).toBeUndefined();
  });

  it('adds subsetBackbone over the images of a strict training subset', () => {
    // images 0-9 of the train split: their pixels take two values per position pattern, still rank one
    const subsetIndices = Int32Array.from({ length: 10 }, (_, i) => i * 4);
    const result = evaluate(identity, { ...data, train: split(40, (i, j) => (i % 4 === 0 ? Math.abs(Math.sin(7.1 * (i + 1) * (j + 2))) : (i % 5) / 5)) }, { probeTrain: 40, probeTest: 40, batchSize: 16, knnK: 5, knnTemperature: 0.1, seed: 1, subsetIndices });
    // the subset (every 4th image, varied in all four pixels) is not collapsed while the whole split is mostly rank one
    expect(result.subsetBackbone?.auc).toBeLessThan(result.trainBackbone.auc);
    expect(result.subsetBackbone?.dim).toBe(4);
  });
});
