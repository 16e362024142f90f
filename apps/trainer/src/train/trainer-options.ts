/**
 * How a training config maps onto the options of the parts it drives: the dataset spec (Engineer D's
 * loaders), the regime scheduler options and the model options (Engineer M's `createSiameseModel`).
 */
import type { TrainConfig } from '../config/train-config.ts';
import type { RegimeOptions } from '../regime/regime-options.ts';
import type { ModelSpec } from './trainer-deps.ts';

/** The dataset spec of a config (Engineer D's `DatasetSpec`). */
export function datasetSpecOf(config: TrainConfig) {
  const d = config.dataset;
  return {
    name: d.name,
    path: d.path,
    labelsPath: d.labelsPath,
    imageSize: d.imageSize,
    fraction: d.fraction,
    maxTrain: d.maxTrain,
    maxTest: d.maxTest,
    seed: config.seed,
    synthetic: d.synthetic ? structuredClone(d.synthetic) : undefined,
  };
}

/** The scheduler options of a config for `numTrain` examples and a `totalSteps` budget. */
export function regimeOptionsOf(config: TrainConfig, numTrain: number, totalSteps: number): RegimeOptions {
  const options: RegimeOptions = {
    regime: config.regime.name,
    numTrain,
    batchSize: config.batchSize,
    totalSteps,
    chunks: config.regime.chunks,
    hybridSwitchFraction: config.regime.hybridSwitchFraction,
    lastFraction: config.regime.lastFraction,
    seed: config.seed,
  };
  return JSON.parse(JSON.stringify(options)) as RegimeOptions; // drops undefined options (defaults apply)
}

/** The model options of a config for an input shape (what Engineer M's `createSiameseModel` takes). */
export function modelSpecOf(config: TrainConfig, inputShape: [number, number, number]): ModelSpec {
  return {
    method: config.method,
    backbone: { ...config.backbone },
    inputShape: [...inputShape],
    projectorDim: config.projectorDim,
    projectorHiddenDim: config.projectorHiddenDim,
    predictorHiddenDim: config.predictorHiddenDim,
    stopGradient: config.stopGradient,
    projectorOutputAffine: config.projectorOutputAffine,
    emaDecay: config.emaDecay,
    weightDecay: config.weightDecay,
    workers: config.workers,
  };
}
