/**
 * Collapse metrics of one input: a matrix file is streamed chunk by chunk into
 * a moment accumulator (Li, Efros & Pathak, ECCV 2022: singular values of the
 * mean-centred embedding matrix) plus the normalised-output std; a spectra file
 * gives one result per stored spectrum.
 */
import { basename, extname } from 'node:path';
import {
  createMomentAccumulator,
  spectrumMetrics,
  type SpectrumMetrics,
} from '@siamwatch/collapse-metrics';
import type { EmbeddingFormat, EmbeddingSource, MatrixSource } from '@siamwatch/embedding-io';
import { asInputError, withInputContext } from './analyze-error.ts';
import { createNormalizedStdAccumulator } from './normalized-std-accumulator.ts';

/** Metrics of one spectrum (a matrix file, or one run of a spectra file). */
export interface AnalysisResult extends SpectrumMetrics {
  /** Input path as given. */
  readonly file: string;
  readonly format: EmbeddingFormat;
  /** `matrix`: computed from embeddings; `spectrum`: singular values read from JSON. */
  readonly kind: 'matrix' | 'spectrum';
  /** Run label (spectra), tensor name (safetensors) or file stem (npy). */
  readonly label: string;
  /** Rows of the matrix; null for stored spectra (unknown). */
  readonly n: number | null;
  /** Embedding dimension (number of singular values). */
  readonly d: number;
  /** Whether rows were L2-normalised before the spectrum. */
  readonly normalized: boolean;
  /** Mean per-dimension std of L2-normalised rows (~1/sqrt(d) healthy, 0 collapsed); null for spectra. */
  readonly normalizedStd: number | null;
  /** Singular values, descending. */
  readonly singularValues: Float64Array;
}

/** Options of {@link analyzeSource}. */
export interface AnalyzeSourceOptions {
  /** L2-normalise rows before the spectrum (matrices only). Default false. */
  readonly normalize?: boolean;
  /** Rows per chunk; default the reader's (~4 MiB). */
  readonly chunkRows?: number;
  /** Called after each chunk with the rows read so far. */
  readonly onRows?: (rowsDone: number) => void;
}

/**
 * Computes the metrics of every spectrum in `source`. Matrices are read once,
 * in chunks; memory is O(d^2 + chunkRows * d). Metric failures (fewer than 2
 * rows, NaN/Infinity) raise `AnalyzeError` naming the file.
 */
export async function analyzeSource(source: EmbeddingSource, options: AnalyzeSourceOptions = {}): Promise<AnalysisResult[]> {
  if (source.kind === 'spectra') {
    return source.spectra.map((spectrum) => ({
      file: source.path,
      format: source.format,
      kind: 'spectrum' as const,
      label: spectrum.label,
      n: null,
      d: spectrum.singularValues.length,
      normalized: false,
      normalizedStd: null,
      singularValues: spectrum.singularValues,
      ...withInputContext(source.path, () => spectrumMetrics(spectrum.singularValues)),
    }));
  }
  return [await analyzeMatrix(source, options)];
}

async function analyzeMatrix(source: MatrixSource, options: AnalyzeSourceOptions): Promise<AnalysisResult> {
  const normalize = options.normalize === true;
  const moments = withInputContext(source.path, () => createMomentAccumulator({ dim: source.d, normalize }));
  const normalizedStd = createNormalizedStdAccumulator(source.d);
  try {
    for await (const chunk of source.chunks(options.chunkRows)) {
      moments.add(chunk.rows, chunk.n);
      normalizedStd.add(chunk.rows, chunk.n);
      options.onRows?.(chunk.offset + chunk.n);
    }
  } catch (error) {
    throw asInputError(source.path, error);
  }
  const singularValues = withInputContext(source.path, () => moments.singularValues());
  return {
    file: source.path,
    format: source.format,
    kind: 'matrix',
    label: source.tensor ?? basename(source.path, extname(source.path)),
    n: source.n,
    d: source.d,
    normalized: normalize,
    normalizedStd: normalizedStd.value(),
    singularValues,
    ...withInputContext(source.path, () => spectrumMetrics(singularValues)),
  };
}
