/**
 * Reads MNIST's IDX files with the IDX reader of `@siamwatch/embedding-io`, turning its typed
 * errors into {@link DatasetError}s that name the file.
 */
import { readFile } from 'node:fs/promises';
import { EmbeddingFormatError, parseIdx as parseIdxBytes, type IdxArray } from '@siamwatch/embedding-io';
import { DatasetError } from './dataset-types.ts';

export type { IdxArray };

/** Parses IDX bytes; `file` names the source in every {@link DatasetError} (bad magic, bad type, truncated, trailing bytes). */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  try {
    return parseIdxBytes(bytes, file);
  } catch (error) {
    if (error instanceof EmbeddingFormatError) throw new DatasetError(file, error.problem);
    throw error;
  }
}

/** Reads and parses an IDX file; a missing file raises {@link DatasetError}. */
export async function readIdx(file: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DatasetError(file, `cannot read: ${(error as Error).message}`);
  }
  return parseIdx(bytes, file);
}
