/**
 * Registers `siamwatch analyze FILE... [--json] [--normalize] [--plot FILE.html]
 * [--chunk-rows N] [--tensor NAME]` on the commander program: spectrum
 * collapse metrics (Li, Efros & Pathak, ECCV 2022) of embedding matrices
 * (`.npy`, `.safetensors`) and of stored spectra (`.json`).
 */
import type { Command } from 'commander';
import { parseAnalyzeOptions } from './analyze-options.ts';
import { runAnalyze } from './run-analyze.ts';

const HELP_AFTER = `
Inputs:
  .npy          2-D float32/float64 C-order array, n x d (np.save)
  .safetensors  a 2-D F32/F64/F16/BF16 tensor (the only one, or --tensor NAME)
  .json         spectra: [s1, s2, ...] or { runs: [{ <label>, singularValues: [...] }] }

Metrics: auc (area under the cumulative explained variance, ~0.5 flat .. 1 rank one),
rankme, stableRank, alpha (power-law decay), c90/c99 (components for 90%/99%),
normStd (std of L2-normalised rows, ~1/sqrt(d) healthy, 0 collapsed; matrices only).

Example:
  siamwatch analyze examples/simsiam-resnet18-imagenet-spectra.json --plot spectra.html
`;

/** Adds the `analyze` subcommand to `program`; errors propagate as typed errors (exit code 1 in main). */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Spectrum collapse metrics (AUC, RankMe, ...) of embeddings (.npy, .safetensors) or stored spectra (.json)')
    .argument('<files...>', 'input files (.npy, .safetensors, .json)')
    .option('--json', 'print one JSON document instead of the table')
    .option('--normalize', 'L2-normalise each row before the spectrum (matrix inputs)')
    .option('--plot <file.html>', 'write a self-contained HTML plot of the spectra')
    .option('--chunk-rows <n>', 'rows read per chunk from matrix files (default ~4 MiB of rows)')
    .option('--tensor <name>', 'safetensors tensor to analyse (default: the only 2-D tensor)')
    .addHelpText('after', HELP_AFTER)
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const options = parseAnalyzeOptions(raw);
      await runAnalyze(files, options, { stdout: process.stdout, stderr: process.stderr });
    });
}
