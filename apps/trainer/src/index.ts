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

// Optimizer: momentum SGD (PyTorch semantics) and the cosine schedule.
export { createSgd, type Sgd, type SgdOptions, type SgdParam, type TensorState } from './optim/sgd.ts';
export { cosineLr, type CosineLrOptions } from './optim/cosine-lr.ts';
export { OptimizerOptionError, OptimizerStateError } from './optim/optim-errors.ts';
