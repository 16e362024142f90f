import type { Command } from 'commander';

/** Registers `siamwatch analyze` (placeholder until the analyze command lands). */
export function registerAnalyzeCommand(program: Command): void {
  program.command('analyze').description('Spectrum metrics of embeddings (not yet implemented)');
}
