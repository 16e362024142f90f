import { collapseMetrics } from '@siamwatch/collapse-metrics';
import { createRng, deriveSeed } from '../util/rng.ts';
import { extractFeatures, probeIndices, type EmbeddingModel, type ImageSplit } from './extract-features.ts';
import { knnAccuracy } from './knn.ts';
import { linearProbeAccuracy } from './linear-probe.ts';

/** Spectrum figures of one feature matrix (Li, Efros & Pathak 2022 Eq. 2 AUC; RankMe; alpha-ReQ...). */
export interface SpectrumSummary {
  auc: number;
  rankme: number;
  stableRank: number;
  alpha: number;
  alphaR2: number;
  components90: number;
  components99: number;
  normalizedStd: number;
  singularValues: number[];
  dim: number;
}

/** One evaluation of the frozen network: probe accuracies on backbone features and both spectra. */
export interface EvaluationResult {
  linearProbeAccuracy: number;
  knnAccuracy: number;
  backbone: SpectrumSummary;
  projector: SpectrumSummary;
  /**
   * The paper authors' spectrum: backbone features (after pooling) of the train-probe images of the
   * training split, without augmentation, mean-centred, not L2-normalised, raw singular values.
   */
  trainBackbone: SpectrumSummary;
  /**
   * The same spectrum over the images the run actually trains on when that is a strict subset of the
   * training split (the `last` strategy's subset; `subsetIndices`), at most `probeTrain` of them.
   */
  subsetBackbone?: SpectrumSummary;
  probeTrain: number;
  probeTest: number;
  seconds: number;
}

/** What {@link evaluate} needs of the data: image shape, classes and both splits. */
export interface EvaluationData {
  imageShape: readonly [number, number, number];
  numClasses: number;
  train: ImageSplit;
  test: ImageSplit;
}

/** Options of {@link evaluate}; the subsets depend only on `seed`, so every evaluation of a run uses the same images. */
export interface EvaluateOptions {
  probeTrain: number;
  probeTest: number;
  batchSize: number;
  knnK: number;
  knnTemperature: number;
  seed: number;
  /** Train-split indices of the images the run trains on, when a strict subset (adds `subsetBackbone`). */
  subsetIndices?: Int32Array;
}

function spectrum(x: Float32Array, n: number, d: number): SpectrumSummary {
  const m = collapseMetrics(x, n, d);
  return {
    auc: m.auc,
    rankme: m.rankme,
    stableRank: m.stableRank,
    alpha: m.alpha,
    alphaR2: m.alphaR2,
    components90: m.components90,
    components99: m.components99,
    normalizedStd: m.normalizedStd,
    singularValues: Array.from(m.singularValues),
    dim: d,
  };
}

/**
 * Evaluates the frozen network: backbone features of a fixed train/test probe subset, a linear probe
 * (L-BFGS softmax regression) and a weighted kNN (cosine, k=20, T=0.07) on them, and the collapse
 * metrics of backbone and projector outputs on the test probe set, and (`trainBackbone`) the backbone
 * spectrum of the train probe set, as Li, Efros & Pathak take it (training images, evaluation
 * transforms, mean-centred, raw singular values). Healthy: accuracy well above
 * chance, AUC well below 1; fully collapsed: chance accuracy, AUC -> 1, normalizedStd -> 0.
 */
export function evaluate(model: EmbeddingModel, data: EvaluationData, options: EvaluateOptions): EvaluationResult {
  const started = performance.now();
  const trainIdx = probeIndices(data.train.n, options.probeTrain, (a) => createRng(deriveSeed(options.seed, 1)).shuffle(a));
  const testIdx = probeIndices(data.test.n, options.probeTest, (a) => createRng(deriveSeed(options.seed, 2)).shuffle(a));
  const train = extractFeatures(model, data.train, trainIdx, data.imageShape, options.batchSize);
  const test = extractFeatures(model, data.test, testIdx, data.imageShape, options.batchSize);
  const trainSet = { x: train.backbone, y: train.y, n: train.n, d: train.dBackbone };
  const testSet = { x: test.backbone, y: test.y, n: test.n, d: test.dBackbone };
  const pool = options.subsetIndices;
  const subsetIdx = pool && pool.length >= 2 ? probeIndices(pool.length, options.probeTrain, (a) => createRng(deriveSeed(options.seed, 3)).shuffle(a)).map((i) => pool[i] ?? 0) : undefined;
  const subset = subsetIdx ? extractFeatures(model, data.train, subsetIdx, data.imageShape, options.batchSize) : undefined;
  return {
    linearProbeAccuracy: linearProbeAccuracy(trainSet, testSet, { numClasses: data.numClasses }),
    knnAccuracy: knnAccuracy(trainSet, testSet, {
      numClasses: data.numClasses,
      k: options.knnK,
      temperature: options.knnTemperature,
    }),
    backbone: spectrum(test.backbone, test.n, test.dBackbone),
    projector: spectrum(test.projector, test.n, test.dProjector),
    trainBackbone: spectrum(train.backbone, train.n, train.dBackbone),
    ...(subset ? { subsetBackbone: spectrum(subset.backbone, subset.n, subset.dBackbone) } : {}),
    probeTrain: train.n,
    probeTest: test.n,
    seconds: (performance.now() - started) / 1000,
  };
}
