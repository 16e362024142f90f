/**
 * Options of `npm run bench:train` and the network both sides train: a SimSiam resnet backbone (widths 16-32-64-64
 * times `width`, `depth` residual blocks per stage; defaults give the 32-64-128-128 CNN) on `size x size x 1`
 * random images, `batch` images per step, each forwarded as two augmented views.
 */

/** What the benchmark measures. */
export interface BenchOptions {
  batch: number;
  steps: number;
  warmup: number;
  size: number;
  depth: number;
  width: number;
  projectorDim: number;
  projectorHiddenDim: number;
  predictorHiddenDim: number;
  /** torch.set_num_threads for the PyTorch side (0: torch's default, all cores). */
  torchThreads: number;
  torch: boolean;
  profile: boolean;
}

/** The defaults of the issue: widths 32-64-128-128 on 28x28, batch 128, 2 warm-up + 6 timed steps. */
export const DEFAULT_BENCH_OPTIONS: BenchOptions = {
  batch: 128,
  steps: 6,
  warmup: 2,
  size: 28,
  depth: 0,
  width: 2,
  projectorDim: 256,
  projectorHiddenDim: 256,
  predictorHiddenDim: 64,
  torchThreads: 0,
  torch: true,
  profile: false,
};

/** An option outside its range; the message names the option and the value. */
export class BenchOptionError extends Error {
  override readonly name = 'BenchOptionError';

  constructor(option: string, value: unknown) {
    super(`invalid --${option} ${JSON.stringify(value)}: expected a positive integer`);
  }
}

/** Checks the integer options (>= 1, warm-up and threads >= 0) and throws `BenchOptionError` on the first bad one. */
export function validateBenchOptions(options: BenchOptions): BenchOptions {
  const positive: (keyof BenchOptions)[] = ['batch', 'steps', 'size', 'projectorDim', 'projectorHiddenDim', 'predictorHiddenDim'];
  for (const key of positive) {
    const v = options[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new BenchOptionError(key, v);
    }
  }
  for (const key of ['warmup', 'depth', 'torchThreads'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 0) {
      throw new BenchOptionError(key, options[key]);
    }
  }
  if (!(options.width > 0)) {
    throw new BenchOptionError('width', options.width);
  }
  return options;
}
