/**
 * Streams the data section of a row-major `n x d` matrix file in chunks of
 * whole rows, through a file handle and one bounded buffer per chunk: memory
 * stays O(chunkRows * d) whatever the file size.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { bytesPerElement, decodeElements, type RowMatrix, type StoredDtype } from './element-decoding.ts';
import { openFile, readRange } from './file-range.ts';

/** One chunk of rows: `rows` is row-major `n x d`, its first row is row `offset` of the file. */
export interface RowChunk {
  readonly rows: RowMatrix;
  readonly n: number;
  readonly offset: number;
}

/** Where a matrix lives inside its file. */
export interface RowLayout {
  readonly dataOffset: number;
  readonly n: number;
  readonly d: number;
  readonly dtype: StoredDtype;
}

/** Default bytes per chunk when no `chunkRows` is given (4 MiB). */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/** Rows per chunk for a `d`-column matrix of `dtype` when none is given: ~4 MiB, at least 1. */
export function defaultChunkRows(d: number, dtype: StoredDtype): number {
  return Math.max(1, Math.floor(DEFAULT_CHUNK_BYTES / Math.max(1, d * bytesPerElement(dtype))));
}

/** Validates a user-supplied chunk size: a positive safe integer. */
export function checkChunkRows(chunkRows: number): number {
  if (!Number.isSafeInteger(chunkRows) || chunkRows < 1) {
    throw new EmbeddingFormatError('bad-argument', '', `chunkRows ${chunkRows} is not a positive integer`);
  }
  return chunkRows;
}

/**
 * Yields the rows of `path` described by `layout`, `chunkRows` at a time (the
 * last chunk may be shorter). Opens the file on iteration and closes it when
 * the iteration ends or is abandoned. A file shorter than the layout raises
 * `EmbeddingFormatError` (code `truncated`).
 */
export async function* streamRows(path: string, layout: RowLayout, chunkRows?: number): AsyncGenerator<RowChunk> {
  const rowsPerChunk = checkChunkRows(chunkRows ?? defaultChunkRows(layout.d, layout.dtype));
  const rowBytes = layout.d * bytesPerElement(layout.dtype);
  const file = await openFile(path);
  try {
    const needed = layout.dataOffset + layout.n * rowBytes;
    if (file.size < needed) {
      throw new EmbeddingFormatError(
        'truncated',
        path,
        `file has ${file.size} bytes but shape (${layout.n}, ${layout.d}) of ${layout.dtype} needs ${needed} (truncated file?)`,
      );
    }
    for (let offset = 0; offset < layout.n; offset += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, layout.n - offset);
      const bytes = await readRange(file, layout.dataOffset + offset * rowBytes, n * rowBytes);
      yield { rows: decodeElements(bytes, layout.dtype), n, offset };
    }
  } finally {
    await file.handle.close();
  }
}
