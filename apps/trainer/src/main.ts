/**
 * The `siamwatch` command line. The only module that sets a TensorFlow.js
 * backend or starts servers (through the subcommands it dispatches to).
 */
import { Command } from 'commander';
import { registerAnalyzeCommand } from './analyze/analyze-command.ts';
import { registerServeCommand } from './serve/serve-command.ts';
import { registerTrainCommand } from './train/train-command.ts';
import { registerWatchCommand } from './watch/watch-command.ts';

const program = new Command();
program
  .name('siamwatch')
  .description('Watch non-contrastive self-supervised training (SimSiam, BYOL) for dimensional collapse.')
  .showHelpAfterError();

registerAnalyzeCommand(program);
registerTrainCommand(program);
registerServeCommand(program);
registerWatchCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  const name = error instanceof Error ? error.name : 'Error';
  process.stderr.write(`siamwatch: ${name}: ${message}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
