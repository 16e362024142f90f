import { Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cliOptionsToConfig, type TrainCliOptions } from '../config/cli-overrides.ts';
import { ConfigError, loadTrainConfig } from '../config/train-config.ts';
import { defaultRunDir } from '../run/run-directory.ts';
import { defaultTrainExtensions, startTrainExtensions, type TrainExtension } from './train-extensions.ts';
import { createTrainReporter } from './train-reporter.ts';

/** Exit codes after a signal-triggered clean stop (128 + signal number). */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Runs `siamwatch train` with parsed flags: builds the frozen config (a resumed run starts from its
 * own `config.json`), starts the extensions (telemetry, monitor), trains, and maps SIGINT/SIGTERM
 * to a checkpoint and exit code 130/143.
 */
export async function runTrainCommand(options: TrainCliOptions, extensions: readonly TrainExtension[] = defaultTrainExtensions): Promise<void> {
  if (options.resume && !options.out) throw new ConfigError('--resume needs --out DIR (the run to continue)', 'out');
  const out = options.out ?? defaultRunDir();
  const stored = join(out, 'config.json');
  const configFile = options.resume && existsSync(stored) ? stored : options.config;
  const config = loadTrainConfig({ configFile, overrides: { ...cliOptionsToConfig(options), out } });
  const reporter = createTrainReporter(config.logFormat);
  const { createTrainer } = await import('./trainer.ts'); // tfjs loads only once the config is valid
  const trainer = createTrainer(config, { logger: reporter.logger, hooks: [reporter.hooks] });
  let signalled: string | undefined;
  const onSignal = (signal: string) => {
    if (signalled) process.exit(SIGNAL_EXIT[signal] ?? 1); // second signal: give up at once
    signalled = signal;
    trainer.requestStop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const closeExtensions = await startTrainExtensions(extensions, { config, trainer, logger: reporter.logger, runDir: out });
  try {
    const result = await trainer.run();
    reporter.finish(result);
    if (result.status === 'stopped' && signalled) process.exitCode = SIGNAL_EXIT[signalled] ?? 1;
  } finally {
    await closeExtensions();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Registers `siamwatch train` on the program. */
export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('Train SimSiam/BYOL with TensorFlow.js and record metrics, evaluations and checkpoints in a run directory')
    .option('--config <file>', 'JSON config file (flags override it)')
    .addOption(new Option('--dataset <name>', 'dataset (without it: MNIST at 14x14, 10k images; with it: the whole set at its own size unless --image-size / --max-train say otherwise)').choices(['synthetic', 'mnist', 'fashion-mnist', 'npy', 'images']))
    .option('--data-path <path>', 'data file or folder (npy, images)')
    .option('--labels-path <path>', 'labels file (npy)')
    .option('--fraction <f>', 'fraction of the training set to use (0-1]')
    .option('--image-size <px>', 'resize images to px x px')
    .option('--max-train <n>', 'cap on training images')
    .option('--max-test <n>', 'cap on test images')
    .addOption(new Option('--method <name>', 'method').choices(['simsiam', 'byol']))
    .addOption(new Option('--backbone <kind>', 'backbone').choices(['resnet', 'mlp']))
    .option('--depth <n>', 'resnet: residual blocks per stage (0 = plain CNN); mlp: hidden layers')
    .option('--width <n>', 'resnet: multiplier of the 16-32-64-64 widths; mlp: hidden units')
    .option('--no-stop-gradient', 'ablation: no stop-gradient on the target branch (SimSiam collapses)')
    .option('--projector-output-affine', "learnable scale/shift on the projector's output BN (SimSiam paper Fig. 2; lets z collapse to a point)")
    .option('--batch-size <n>', 'batch size')
    .option('--epochs <n>', 'compute budget in epochs (totalSteps = epochs x ceil(nTrain / batch))')
    .option('--steps <n>', 'compute budget in steps (overrides --epochs)')
    .option('--lr <base>', 'base lr (applied lr = base x batch / 256)')
    .option('--weight-decay <wd>', 'weight decay')
    .option('--predictor-lr <base>', 'fixed (not decayed) predictor base lr')
    .addOption(new Option('--regime <name>', 'data regime').choices(['iid', 'continual', 'cumulative', 'last', 'hybrid']))
    .option('--chunks <n>', 'chunks of the stream (continual, cumulative, hybrid)')
    .option('--eval-every <epochs>', 'evaluate every this many epochs (always at the end)')
    .option('--probe-train <n>', 'train images of the linear/kNN probe')
    .option('--probe-test <n>', 'test images of the probe')
    .option('--seed <n>', 'random seed')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend').choices(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']))
    .option('--workers <n>', 'data-parallel worker threads (wasm replicas, synchronised BN); batch must divide by n (default 1)')
    .option('--out <dir>', 'run directory (default runs/<timestamp>)')
    .option('--resume', 'continue the run in --out from its latest checkpoint')
    .option('--checkpoint-every <steps>', 'checkpoint every N steps (0 = off)')
    .option('--checkpoint-seconds <s>', 'checkpoint at least every S seconds (0 = off)')
    .option('--preview <file.png>', 'write a PNG of augmented pairs before training')
    .option('--metrics-port <port>', 'serve Prometheus metrics on this port')
    .addOption(new Option('--monitor <mode>', 'collapse monitor').choices(['off', 'observe', 'act']))
    .addOption(new Option('--log-format <format>', 'log format (default: progress bar on a TTY, JSON otherwise)').choices(['pretty', 'json']))
    .action(async (_options: TrainCliOptions, command: Command) => {
      const given = Object.fromEntries(
        Object.entries(command.opts()).filter(([key]) => command.getOptionValueSource(key) === 'cli'),
      ) as TrainCliOptions;
      const { trainIntegrations } = await import('../integrations/train-integrations.ts');
      await runTrainCommand(given, trainIntegrations({ env: process.env }));
    });
}
