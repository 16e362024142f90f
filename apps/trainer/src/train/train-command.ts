import type { Command } from 'commander';

/** Registers `siamwatch train` (placeholder until the trainer lands). */
export function registerTrainCommand(program: Command): void {
  program.command('train').description('Train SimSiam/BYOL (not yet implemented)');
}
