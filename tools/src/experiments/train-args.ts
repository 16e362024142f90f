/**
 * Turns a {@link RunSpec} into the argument list of `siamwatch train`, and shrinks runs for `--quick`.
 * The evaluation interval is derived from the step budget so that every run records the same number of
 * evenly spaced evaluations (its label-free feature trajectory for the monitor's calibration).
 */
import { GridSpecError, type FlagValue, type RunSpec } from './grid-spec.ts';

/** Train-split sizes of the built-in datasets (MNIST and Fashion-MNIST: 60k; synthetic: its default `n`). */
export const TRAIN_SET_SIZES: Readonly<Record<string, number>> = { mnist: 60000, 'fashion-mnist': 60000, synthetic: 5000 };

/** Defaults of `siamwatch train` the runner needs to know (dataset, batch size, MNIST cap). */
const TRAINER_DEFAULTS = { dataset: 'mnist', batchSize: 64, maxTrain: 10000 };

function numberFlag(flags: Record<string, FlagValue>, key: string): number | undefined {
  const value = flags[key];
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value === 'boolean' || !Number.isFinite(n)) throw new GridSpecError(`flag --${key} must be a number, got ${JSON.stringify(value)}`);
  return n;
}

/** Training images of a run, as the trainer computes it: min(round(fraction x train split), max-train). */
export function trainImagesOf(flags: Record<string, FlagValue>): number {
  const dataset = String(flags['dataset'] ?? TRAINER_DEFAULTS.dataset);
  const size = TRAIN_SET_SIZES[dataset];
  if (size === undefined) throw new GridSpecError(`dataset "${dataset}" has no known train size (known: ${Object.keys(TRAIN_SET_SIZES).join(', ')})`);
  const fraction = numberFlag(flags, 'fraction') ?? 1;
  const defaultMax = dataset === 'mnist' && flags['dataset'] === undefined ? TRAINER_DEFAULTS.maxTrain : undefined;
  const max = numberFlag(flags, 'max-train') ?? defaultMax;
  const n = Math.max(1, Math.round(fraction * size));
  return max === undefined ? n : Math.min(n, max);
}

/** `--eval-every` in epochs so that `evaluations` evaluations fall evenly over `steps` steps. */
export function evalEveryEpochs(run: RunSpec): number {
  const batch = numberFlag(run.flags, 'batch-size') ?? TRAINER_DEFAULTS.batchSize;
  const stepsPerEpoch = Math.ceil(trainImagesOf(run.flags) / batch);
  const evaluations = run.budget.evaluations ?? 10;
  const everySteps = Math.max(1, Math.round(run.budget.steps / evaluations));
  return everySteps / stepsPerEpoch;
}

/** Options of {@link trainArgs}. */
export interface TrainArgsOptions {
  /** TensorFlow.js backend. Default `wasm`. */
  backend?: string;
  /** Continue from the run directory's latest checkpoint. */
  resume?: boolean;
  /** The `--config` file holding `run.config` (required when the run has one). */
  configFile?: string;
}

/** The argument list after `siamwatch train` for `run` writing into `outDir`. */
export function trainArgs(run: RunSpec, outDir: string, options: TrainArgsOptions = {}): string[] {
  const args: string[] = [];
  if (run.config !== undefined) {
    if (options.configFile === undefined) throw new GridSpecError(`run "${run.id}" has config fields but no config file was given`);
    args.push('--config', options.configFile);
  }
  for (const [key, value] of Object.entries(run.flags)) {
    if (value === false) continue;
    args.push(`--${key}`);
    if (value !== true) args.push(String(value));
  }
  args.push('--seed', String(run.seed), '--steps', String(run.budget.steps));
  args.push('--eval-every', evalEveryEpochs(run).toPrecision(8));
  if (!('backend' in run.flags)) args.push('--backend', options.backend ?? 'wasm');
  args.push('--log-format', 'json', '--out', outDir);
  if (options.resume) args.push('--resume');
  return args;
}

/**
 * The `--quick` version of a run: about 1/10 of the steps (at least 20), 10 evaluations (enough checks for
 * every calibration anchor), probes of 300
 * images, at most 2000 training images (fractions keep their ratios by scaling max-train), so a whole
 * grid finishes in minutes. The id is unchanged; quick runs go to their own output folder.
 */
export function quickRun(run: RunSpec): RunSpec {
  const flags = { ...run.flags };
  const full = trainImagesOf(run.flags);
  const fraction = numberFlag(run.flags, 'fraction') ?? 1;
  flags['max-train'] = Math.min(full, Math.max(64, Math.round(2000 * fraction)));
  flags['probe-train'] = 300;
  flags['probe-test'] = 300;
  flags['max-test'] = 600;
  return { ...run, flags, budget: { steps: Math.max(20, Math.round(run.budget.steps / 10)), evaluations: 10 } };
}
