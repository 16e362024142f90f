/**
 * Reads NumPy `.npy` arrays of any rank (image datasets and labels) with the `.npy` reader of
 * `@siamwatch/embedding-io`, turning its typed errors into {@link DatasetError}s that name the file.
 */
import { readFile } from 'node:fs/promises';
import { EmbeddingFormatError, parseNpy as parseNpyBytes, type NpyArray } from '@siamwatch/embedding-io';
import { DatasetError } from './dataset-types.ts';

export type { NpyArray, NpyDescr } from '@siamwatch/embedding-io';
export { encodeNpy } from '@siamwatch/embedding-io';

/** Parses `.npy` bytes; `file` names the source in every {@link DatasetError}. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  try {
    return parseNpyBytes(bytes, file);
  } catch (error) {
    if (error instanceof EmbeddingFormatError) throw new DatasetError(file, error.problem);
    throw error;
  }
}

/** Reads and parses a `.npy` file; a missing file raises {@link DatasetError}. */
export async function readNpy(file: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DatasetError(file, `cannot read: ${(error as Error).message}`);
  }
  return parseNpy(bytes, file);
}
