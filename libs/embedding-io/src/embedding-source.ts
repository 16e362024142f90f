/**
 * One entry point for every supported input: `openEmbeddingSource(path)`
 * returns either a matrix source (`.npy`, `.safetensors`: an `n x d` embedding
 * matrix streamed in row chunks) or a spectra source (`.json`: singular values
 * already computed, e.g. by the paper authors).
 */
import { extname } from 'node:path';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { rowDtypeOf, type RowDtype, type StoredDtype } from './element-decoding.ts';
import { readNpyHeader } from './npy-header.ts';
import { streamRows, type RowChunk, type RowLayout } from './row-chunks.ts';
import { readSafetensorsHeader } from './safetensors-header.ts';
import { selectSafetensorsTensor } from './safetensors-tensor.ts';
import { readSpectraJson, type Spectrum } from './spectra-json.ts';

/** Input formats, detected from the file extension. */
export type EmbeddingFormat = 'npy' | 'safetensors' | 'json';

/** An `n x d` embedding matrix on disk, read lazily in chunks of rows. */
export interface MatrixSource {
  readonly kind: 'matrix';
  readonly path: string;
  readonly format: 'npy' | 'safetensors';
  /** Rows (samples). */
  readonly n: number;
  /** Columns (embedding dimension). */
  readonly d: number;
  /** dtype of the decoded rows (half types decode to float32). */
  readonly dtype: RowDtype;
  /** dtype as stored in the file. */
  readonly storedDtype: StoredDtype;
  /** Tensor name (safetensors only). */
  readonly tensor?: string;
  /** Streams the rows, `chunkRows` at a time (default ~4 MiB per chunk); can be iterated repeatedly. */
  chunks(chunkRows?: number): AsyncIterable<RowChunk>;
}

/** Singular-value spectra read from JSON. */
export interface SpectraSource {
  readonly kind: 'spectra';
  readonly path: string;
  readonly format: 'json';
  readonly spectra: readonly Spectrum[];
}

/** What {@link openEmbeddingSource} returns. */
export type EmbeddingSource = MatrixSource | SpectraSource;

/** Options of {@link openEmbeddingSource}. */
export interface OpenEmbeddingSourceOptions {
  /** Override the format detected from the extension. */
  readonly format?: EmbeddingFormat;
  /** safetensors: the tensor to read; default the only 2-D tensor. */
  readonly tensor?: string;
}

const EXTENSIONS: Record<string, EmbeddingFormat> = { '.npy': 'npy', '.safetensors': 'safetensors', '.json': 'json' };

/** The format of `path` from its extension; raises `EmbeddingFormatError` (code `unknown-format`) otherwise. */
export function detectEmbeddingFormat(path: string): EmbeddingFormat {
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (format === undefined) {
    throw new EmbeddingFormatError(
      'unknown-format',
      path,
      `extension '${ext}' is not supported: use .npy, .safetensors or .json`,
    );
  }
  return format;
}

/**
 * Opens `path` and validates its header (matrix formats) or its whole content
 * (JSON spectra), without reading matrix data. Raises `EmbeddingFormatError`
 * naming the file and the bad value for anything unsupported or malformed.
 */
export async function openEmbeddingSource(path: string, options: OpenEmbeddingSourceOptions = {}): Promise<EmbeddingSource> {
  const format = options.format ?? detectEmbeddingFormat(path);
  if (format === 'json') {
    return { kind: 'spectra', path, format, spectra: await readSpectraJson(path) };
  }
  if (format === 'npy') {
    const header = await readNpyHeader(path);
    const layout: RowLayout = { dataOffset: header.dataOffset, n: header.n, d: header.d, dtype: header.dtype };
    return matrixSource(path, format, layout);
  }
  const header = await readSafetensorsHeader(path);
  const { tensor, layout } = selectSafetensorsTensor(path, header, options.tensor);
  return matrixSource(path, format, layout, tensor.name);
}

function matrixSource(path: string, format: 'npy' | 'safetensors', layout: RowLayout, tensor?: string): MatrixSource {
  return {
    kind: 'matrix',
    path,
    format,
    n: layout.n,
    d: layout.d,
    dtype: rowDtypeOf(layout.dtype),
    storedDtype: layout.dtype,
    ...(tensor === undefined ? {} : { tensor }),
    chunks: (chunkRows?: number) => streamRows(path, layout, chunkRows),
  };
}

/**
 * Streams the rows of the `.npy` file at `path` in chunks of `chunkRows`
 * (default ~4 MiB per chunk). Header errors are raised on the first iteration.
 */
export async function* streamNpyRows(path: string, chunkRows?: number): AsyncGenerator<RowChunk> {
  const header = await readNpyHeader(path);
  yield* streamRows(path, { dataOffset: header.dataOffset, n: header.n, d: header.d, dtype: header.dtype }, chunkRows);
}

/**
 * Reads every row of a matrix source into one row-major `n x d` array (only
 * for inputs that fit in memory: tests, small evaluation sets).
 */
export async function readAllRows(source: MatrixSource): Promise<Float32Array | Float64Array> {
  const out = source.dtype === 'float64' ? new Float64Array(source.n * source.d) : new Float32Array(source.n * source.d);
  for await (const chunk of source.chunks()) out.set(chunk.rows, chunk.offset * source.d);
  return out;
}
