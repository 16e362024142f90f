/**
 * Writes a row-major `n x d` float32/float64 matrix as a NumPy `.npy` file
 * (`np.load` reads it back), atomically, and encodes arrays of any rank in memory. Used by tests, benchmarks and the
 * trainer to save embeddings that `siamwatch analyze` reads.
 */
import { writeFileAtomic, bytesOf } from './atomic-write.ts';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { formatNpyShape } from './npy-format.ts';

/** Options of {@link writeNpy}. */
export interface WriteNpyOptions {
  /** `.npy` format version to write; default `'1.0'` (2.0/3.0 only matter for huge headers or utf-8). */
  readonly version?: '1.0' | '2.0' | '3.0';
}

/**
 * Encodes the `.npy` preamble (magic, version, header length, header dict)
 * for a C-order 2-D array, padded with spaces to a multiple of 64 bytes and
 * ending in a newline, as numpy does.
 */
export function encodeNpyHeader(descr: string, n: number, d: number, version: '1.0' | '2.0' | '3.0' = '1.0'): Uint8Array {
  return encodeNpyShapeHeader(descr, [n, d], version);
}

/** {@link encodeNpyHeader} for a C-order array of any `shape` (`(6,)` for 1-D, as numpy writes it). */
export function encodeNpyShapeHeader(descr: string, shape: readonly number[], version: '1.0' | '2.0' | '3.0' = '1.0'): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${formatNpyShape(shape)}, }`;
  const major = Number(version[0]);
  const lengthBytes = major === 1 ? 2 : 4;
  const preamble = 8 + lengthBytes;
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - preamble - dict.length - 1)}\n`;
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), preamble);
  return out;
}

/**
 * Encodes a whole C-order `.npy` (version 1.0) of uint8, int32, int64, float32
 * or float64 data of any `shape` in memory (test fixtures, small datasets).
 * Raises `EmbeddingFormatError` (`bad-argument`) if `data.length` is not the product of `shape`.
 */
export function encodeNpy(data: Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (!shape.every((s) => Number.isSafeInteger(s) && s >= 0) || data.length !== count) {
    throw new EmbeddingFormatError('bad-argument', '', `data has ${data.length} elements but shape ${formatNpyShape(shape)} needs ${count}`);
  }
  const descr =
    data instanceof Uint8Array ? '|u1' : data instanceof Int32Array ? '<i4' : data instanceof BigInt64Array ? '<i8' : data instanceof Float32Array ? '<f4' : '<f8';
  const header = encodeNpyShapeHeader(descr, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(bytesOf(data), header.length);
  return out;
}

/**
 * Saves `data` (row-major `n x d`, Float32Array -> `<f4`, Float64Array -> `<f8`)
 * to `path` as `.npy`: temp file in the same directory, fsync, rename.
 * Raises `EmbeddingFormatError` (code `bad-argument`) if `data.length !== n * d`.
 */
export async function writeNpy(
  path: string,
  data: Float32Array | Float64Array,
  n: number,
  d: number,
  options: WriteNpyOptions = {},
): Promise<void> {
  if (!Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(d) || d < 1) {
    throw new EmbeddingFormatError('bad-argument', path, `shape (${n}, ${d}) is not (n >= 0, d >= 1) integers`);
  }
  if (data.length !== n * d) {
    throw new EmbeddingFormatError('bad-argument', path, `data has ${data.length} elements but shape (${n}, ${d}) needs ${n * d}`);
  }
  const descr = data instanceof Float64Array ? '<f8' : '<f4';
  await writeFileAtomic(path, [encodeNpyHeader(descr, n, d, options.version), bytesOf(data)]);
}
