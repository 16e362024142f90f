/**
 * The body of `siamwatch analyze FILE...`: open each input, compute its
 * metrics (streaming matrices chunk by chunk), then print a table or a JSON
 * document and optionally write the HTML plot. Independent of commander and
 * of `process`, so tests can run it in-process.
 */
import { openEmbeddingSource } from '@siamwatch/embedding-io';
import { formatResultsJson, formatResultsTable } from './analysis-output.ts';
import type { AnalyzeOptions } from './analyze-options.ts';
import { startRowProgress, type ProgressStream } from './analyze-progress.ts';
import { analyzeSource, type AnalysisResult } from './analyze-source.ts';
import { writeSpectrumPlot } from './spectrum-plot.ts';

/** Output streams of {@link runAnalyze} (`process.stdout` / `process.stderr` in the CLI). */
export interface AnalyzeIo {
  readonly stdout: { write(chunk: string): boolean };
  readonly stderr: ProgressStream;
}

/**
 * Analyses `files` in order and writes the report to `io.stdout` (table, or
 * JSON with `options.json`); notes (plot written, --normalize or --tensor
 * not applicable) and progress bars go to `io.stderr`. Returns the results.
 * Stops at the first bad input with its typed error (`EmbeddingFormatError`,
 * `AnalyzeError`), whose message names the file and the bad value.
 */
export async function runAnalyze(files: readonly string[], options: AnalyzeOptions, io: AnalyzeIo): Promise<AnalysisResult[]> {
  const results: AnalysisResult[] = [];
  for (const file of files) {
    const source = await openEmbeddingSource(file, options.tensor === undefined ? {} : { tensor: options.tensor });
    if (source.kind === 'spectra' && options.normalize) {
      io.stderr.write(`siamwatch: note: --normalize does not apply to ${file} (stored spectra are used as they are)\n`);
    }
    if (options.tensor !== undefined && source.format !== 'safetensors') {
      io.stderr.write(`siamwatch: note: --tensor applies to .safetensors files only, not to ${file}\n`);
    }
    const progress = source.kind === 'matrix' ? startRowProgress(source, io.stderr) : undefined;
    try {
      results.push(
        ...(await analyzeSource(source, {
          normalize: options.normalize,
          ...(options.chunkRows === undefined ? {} : { chunkRows: options.chunkRows }),
          ...(progress ? { onRows: progress.update } : {}),
        })),
      );
    } finally {
      progress?.stop();
    }
  }
  io.stdout.write(options.json ? formatResultsJson(results, { normalize: options.normalize }) : formatResultsTable(results));
  if (options.plot !== undefined) {
    await writeSpectrumPlot(options.plot, results);
    io.stderr.write(`siamwatch: wrote ${options.plot}\n`);
  }
  return results;
}
