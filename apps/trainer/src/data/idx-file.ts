/**
 * Reader of the IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/): two zero
 * bytes, a type byte (0x08 = unsigned byte), the number of dimensions, the dimensions as
 * big-endian uint32, then the data. Only unsigned-byte files are needed (images and labels).
 */
import { readFile } from 'node:fs/promises';
import { DatasetError } from './dataset-types.ts';

/** An unsigned-byte IDX array. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses IDX bytes; `file` names the source in errors (bad magic, bad type, truncated, trailing bytes). */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new DatasetError(file, `${bytes.length} bytes is too short for an IDX file`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError(file, `bad IDX magic ${bytes[0]},${bytes[1]} (expected 0,0): not an uncompressed IDX file (gzipped?)`);
  }
  if (bytes[2] !== 0x08) throw new DatasetError(file, `IDX type 0x${bytes[2].toString(16)} is not 0x08 (unsigned byte)`);
  const ndim = bytes[3];
  if (ndim < 1 || ndim > 4) throw new DatasetError(file, `IDX has ${ndim} dimensions (expected 1 to 4)`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw new DatasetError(file, `truncated IDX header: ${bytes.length} bytes, need ${headerBytes}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, k) => view.getUint32(4 + 4 * k, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available < expected) {
    throw new DatasetError(file, `truncated: dims ${dims.join('x')} need ${expected} data bytes but the file has ${available}`);
  }
  if (available > expected) {
    throw new DatasetError(file, `${available - expected} trailing bytes after the ${dims.join('x')} data`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
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
