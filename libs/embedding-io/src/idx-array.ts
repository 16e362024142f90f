/**
 * Reader of the IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/): two zero
 * bytes, a type byte (0x08 = unsigned byte), the number of dimensions, the dimensions as
 * big-endian uint32, then the data. Only unsigned-byte arrays of 1 to 4 dimensions are read
 * (images and labels); the data is a view of the input, never a copy.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';

/** An unsigned-byte IDX array. */
export interface IdxArray {
  readonly dims: number[];
  /** The data bytes (a view into the parsed buffer). */
  readonly data: Uint8Array;
}

/**
 * Parses IDX bytes; `path` names the source in every `EmbeddingFormatError`: `bad-magic`
 * (gzipped file?), `unsupported-dtype` (type other than 0x08), `bad-shape` (dimensions outside
 * 1-4), `truncated` ("truncated: dims 2x2x2 need 8 data bytes but the file has 4") and `trailing-bytes`.
 */
export function parseIdx(bytes: Uint8Array, path: string): IdxArray {
  if (bytes.length < 4) throw new EmbeddingFormatError('bad-magic', path, `${bytes.length} bytes is too short for an IDX file`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new EmbeddingFormatError('bad-magic', path, `bad IDX magic ${bytes[0]},${bytes[1]} (expected 0,0): not an uncompressed IDX file (gzipped?)`);
  }
  if (bytes[2] !== 0x08) throw new EmbeddingFormatError('unsupported-dtype', path, `IDX type 0x${(bytes[2] ?? 0).toString(16)} is not 0x08 (unsigned byte)`);
  const ndim = bytes[3] ?? 0;
  if (ndim < 1 || ndim > 4) throw new EmbeddingFormatError('bad-shape', path, `IDX has ${ndim} dimensions (expected 1 to 4)`);
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) throw new EmbeddingFormatError('truncated', path, `truncated IDX header: ${bytes.length} bytes, need ${headerBytes}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndim }, (_, k) => view.getUint32(4 + 4 * k, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerBytes;
  if (available < expected) {
    throw new EmbeddingFormatError('truncated', path, `truncated: dims ${dims.join('x')} need ${expected} data bytes but the file has ${available}`);
  }
  if (available > expected) {
    throw new EmbeddingFormatError('trailing-bytes', path, `${available - expected} trailing bytes after the ${dims.join('x')} data`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
