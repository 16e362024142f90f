/**
 * Public API of the `siamwatch` package (the CLI's building blocks), re-exported by name. Each symbol carries its
 * TSDoc where it is defined.
 */

// Backends: `resolveBackend(choice, log)` picks tfjs-node-gpu, tfjs-node, wasm (with replacement kernels) or cpu.
export { resolveBackend, type BackendChoice, type BackendAttempt, type ResolvedBackend } from './backend/resolve-backend.ts';
export { BackendUnavailableError, UnknownBackendError, KernelMissingError, KernelAttributeError } from './backend/backend-errors.ts';
export { registerWasmKernels } from './backend/register-wasm-kernels.ts';

// Model: SimSiam / BYOL (Chen & He 2021; Grill et al. 2020) with stop-gradient, BN statistics and EMA target.
export {
  createSiameseModel,
  type SiameseModel,
  type SiameseForward,
  type SiameseModelOptions,
} from './model/siamese-model.ts';
export { type ModelConfig, type BackboneConfig, ModelConfigError, validateModelConfig } from './model/model-config.ts';
export { ModelStateError, paramSeed } from './model/param-store.ts';
export { stopGradient } from './model/stop-gradient.ts';
export { negativeCosine, normalisedSquaredError, rowCosine } from './model/cosine-loss.ts';
export { RESNET_BASE_WIDTHS, resnetWidths } from './model/backbone-resnet.ts';
export { type ReplicaSync } from './model/module-types.ts';

// Data parallelism: replicas in worker threads (own wasm instances), shared-memory all-reduce, SyncBN.
export { createDataParallelModel, type DataParallelModel, type DataParallelOptions } from './parallel/data-parallel-model.ts';
export { createAllReduceBuffers, allReduceMember, abortAllReduce, type AllReduceBuffers } from './parallel/shared-all-reduce.ts';
export { DataParallelOptionError, ReplicaFailedError } from './parallel/replica-protocol.ts';

// Optimizer: momentum SGD (PyTorch semantics) and the cosine schedule.
export { createSgd, type Sgd, type SgdOptions, type SgdParam, type TensorState } from './optim/sgd.ts';
export { cosineLr, type CosineLrOptions } from './optim/cosine-lr.ts';
export { OptimizerOptionError, OptimizerStateError } from './optim/optim-errors.ts';

// Randomness: a seedable sfc32 generator whose state is serialisable (resumed runs continue the same stream).
export { createRng, deriveSeed, RngError, type Rng } from './util/rng.ts';

// Data: MNIST, Fashion-MNIST (fixed split), synthetic data of known intrinsic dimension, .npy arrays, image folders.
export {
  DatasetError,
  type Dataset,
  type DatasetName,
  type DatasetSpec,
  type DatasetSplit,
  type SyntheticOptions,
} from './data/dataset-types.ts';
export { loadDataset, DEFAULT_TEST_FRACTION } from './data/load-dataset.ts';
export { SPLIT_SEED, stratifiedSplit, stratifiedSubset } from './data/stratified-split.ts';
export { FASHION_MNIST_CLASSES } from './data/load-fashion-mnist.ts';
export { DEFAULT_SYNTHETIC_SIZE } from './data/synthetic-dataset.ts';
export { readNpy, parseNpy, encodeNpy, type NpyArray, type NpyDescr } from './data/npy-array.ts';

// Augmentations: two views per batch on tensors, per-sample parameters from the Rng; preview PNG.
export {
  AugmentError,
  AUGMENT_PRESETS,
  DIGITS_AUGMENT,
  NATURAL_AUGMENT,
  resolveAugmentOptions,
  type AugmentOptions,
} from './augment/augment-options.ts';
export { createAugmenter, type Augmenter } from './augment/create-augmenter.ts';
export { drawCrop, cropTransform, drawViewParams, type CropBox, type ViewParams } from './augment/view-params.ts';
export { warpImages, warpTable, type FillMode, type WarpTable } from './augment/geometric-warp.ts';
export { gaussianBlur } from './augment/gaussian-blur.ts';
export { applyPhotometric, type PhotometricParams } from './augment/photometric.ts';
export { writePreviewPng, previewLayout } from './augment/preview-png.ts';

// Regimes: compute-matched iid / continual / cumulative / last / hybrid schedules with live switches (Li et al. 2022).
export {
  RegimeError,
  resolveRegimeOptions,
  DEFAULT_CHUNKS,
  DEFAULT_HYBRID_SWITCH_FRACTION,
  type RegimeName,
  type RegimeOptions,
  type ResolvedRegimeOptions,
  type RegimeState,
  type RegimeSwitch,
  type SwitchTarget,
  type PhaseKind,
} from './regime/regime-options.ts';
export { createRegimeScheduler, type RegimeScheduler, type RegimePhase } from './regime/regime-scheduler.ts';

// Config: the zod schema of `siamwatch train`, parsed once and deep-frozen.
export {
  trainConfigSchema,
  parseTrainConfig,
  loadTrainConfig,
  ConfigError,
  type TrainConfig,
  type TrainConfigInput,
  type LoadTrainConfigOptions,
} from './config/train-config.ts';
export { cliOptionsToConfig, type TrainCliOptions } from './config/cli-overrides.ts';
export { deepFreeze, deepMerge, type DeepReadonly } from './config/deep-freeze.ts';

// Evaluation: linear probe (L-BFGS softmax regression), weighted kNN, collapse metrics of the frozen network.
export { evaluate, type EvaluationResult, type EvaluationData, type EvaluateOptions, type SpectrumSummary } from './eval/evaluate.ts';
export { linearProbeAccuracy, fitStandardizer, ProbeError, type LabelledFeatures, type LinearProbeOptions } from './eval/linear-probe.ts';
export { knnAccuracy, type KnnOptions } from './eval/knn.ts';
export { minimizeLbfgs, type Objective, type LbfgsOptions, type LbfgsResult } from './eval/lbfgs.ts';
export { extractFeatures, probeIndices, type EmbeddingModel, type ImageSplit, type ExtractedFeatures } from './eval/extract-features.ts';

// Run directory: config.json, metrics.jsonl, checksummed atomic checkpoints, summary.json.
export { openRunDirectory, defaultRunDir, type RunDirectory, type TrainSummary, type RegimeChange } from './run/run-directory.ts';
export { MetricsLog, readMetrics, type MetricsRecord } from './run/metrics-log.ts';
export {
  saveCheckpoint,
  loadCheckpoint,
  loadLatestCheckpoint,
  listCheckpoints,
  encodeCheckpoint,
  decodeCheckpoint,
  checkpointFileName,
  CheckpointError,
  type Checkpoint,
  type TensorState as CheckpointTensor,
} from './run/checkpoint.ts';

// Training loop: createTrainer with hooks (telemetry, monitor), live regime switches, stop and resume.
export { createTrainer } from './train/trainer.ts';
export {
  TrainError,
  type Trainer,
  type TrainerHooks,
  type TrainResult,
  type TrainStartEvent,
  type StepEvent,
  type EvaluationEvent,
  type CheckpointEvent,
  type LiveRegime,
  type TrainLogger,
} from './train/trainer-types.ts';
export { silentLogger, type TrainerDeps, type TrainableModel, type ModelSpec, type TrainData, type PairAugmenter, type BatchScheduler } from './train/trainer-deps.ts';
export { runTrainCommand, registerTrainCommand } from './train/train-command.ts';
export { createTrainReporter, type TrainReporter } from './train/train-reporter.ts';
export {
  startTrainExtensions,
  defaultTrainExtensions,
  type TrainExtension,
  type TrainExtensionContext,
  type TrainExtensionHandle,
} from './train/train-extensions.ts';
export { datasetSpecOf, regimeOptionsOf, modelSpecOf } from './train/trainer-options.ts';
export { evaluationRecord, buildSummary, type EvaluationContext } from './train/train-records.ts';
export { configFingerprint, dueAfterStep, toCheckpoint, fromCheckpoint, type LoopState } from './train/train-checkpoint-state.ts';

// Integrations of `siamwatch train`: telemetry (--metrics-port, OTLP env) and the collapse monitor (--monitor).
export { trainIntegrations, createIntegrationBus, type IntegrationBus, type TrainIntegrationsOptions } from './integrations/train-integrations.ts';
export { telemetryExtension, runIdOf, type TelemetryExtensionOptions } from './integrations/telemetry-extension.ts';
export { monitorExtension, autoCheckEvery, readSummary, type MonitorExtensionOptions } from './integrations/monitor-extension.ts';
export { telemetryHooks } from './integrations/telemetry-hooks.ts';
export { safeTelemetry, telemetryLoggerOf, guardedHooks } from './integrations/safe-telemetry.ts';
export { collapseRecordFromSpectrum, collapseRecordFromCheck, CollapseRecordError } from './integrations/collapse-records.ts';
export { MonitoringSubset, MonitoringSubsetError, DEFAULT_MONITOR_SUBSET, type SubsetEmbeddings } from './integrations/monitoring-subset.ts';
export {
  MONITOR_RECORD_TYPE,
  monitorLine,
  monitorRegimeOf,
  reasonClassOf,
  telemetryDecisionOf,
  parseMonitorLine,
  forecastAtHalf,
  type SummaryDecision,
  type SummaryForecast,
} from './integrations/monitor-records.ts';
