/**
 * Reader (and, for tests and tools, writer) of NumPy `.npy` arrays of any rank for image data and
 * labels: little-endian or byte-sized integer and float dtypes, C order. The header dict is
 * parsed with `parsePythonLiteral` from `@siamwatch/embedding-io`, whose own `.npy` reader only
 * takes 2-D float embeddings.
 */
import { readFile } from 'node:fs/promises';
import { parsePythonLiteral } from '@siamwatch/embedding-io';
import { DatasetError } from './dataset-types.ts';

/** The dtypes read, by numpy `descr`. */
const DTYPES = {
  '|u1': { bytes: 1, read: (v: DataView, o: number) => v.getUint8(o) },
  '|i1': { bytes: 1, read: (v: DataView, o: number) => v.getInt8(o) },
  '<u2': { bytes: 2, read: (v: DataView, o: number) => v.getUint16(o, true) },
  '<i2': { bytes: 2, read: (v: DataView, o: number) => v.getInt16(o, true) },
  '<u4': { bytes: 4, read: (v: DataView, o: number) => v.getUint32(o, true) },
  '<i4': { bytes: 4, read: (v: DataView, o: number) => v.getInt32(o, true) },
  '<i8': { bytes: 8, read: (v: DataView, o: number) => Number(v.getBigInt64(o, true)) },
  '<u8': { bytes: 8, read: (v: DataView, o: number) => Number(v.getBigUint64(o, true)) },
  '<f4': { bytes: 4, read: (v: DataView, o: number) => v.getFloat32(o, true) },
  '<f8': { bytes: 8, read: (v: DataView, o: number) => v.getFloat64(o, true) },
} as const;

/** A numpy dtype string this reader accepts. */
export type NpyDescr = keyof typeof DTYPES;

/** A decoded array: uint8 stays bytes, float32 stays float32, every other dtype becomes float64. */
export interface NpyArray {
  descr: NpyDescr;
  shape: number[];
  data: Uint8Array | Float32Array | Float64Array;
}

/** Parses `.npy` bytes; `file` names the source in every {@link DatasetError}. */
export function parseNpy(bytes: Uint8Array, file: string): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) throw new DatasetError(file, 'missing the \\x93NUMPY magic: not a .npy file');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new DatasetError(file, `.npy format version ${major}.${bytes[7]} is not supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw new DatasetError(file, 'truncated .npy header');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new DatasetError(file, `header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart));
  let header: ReturnType<typeof parsePythonLiteral>;
  try {
    header = parsePythonLiteral(text.trim());
  } catch (error) {
    throw new DatasetError(file, `corrupt .npy header ${JSON.stringify(text.trim().slice(0, 80))}: ${(error as Error).message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new DatasetError(file, 'the .npy header is not a dict');
  const { descr, fortran_order: fortran, shape } = header;
  if (typeof descr !== 'string' || !(descr in DTYPES)) {
    throw new DatasetError(file, `dtype ${JSON.stringify(descr)} is not supported: use uint8 or float32 images and integer labels (little-endian)`);
  }
  if (fortran !== false) throw new DatasetError(file, `fortran_order ${String(fortran)}: save a C-order array (np.ascontiguousarray)`);
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
    throw new DatasetError(file, `shape ${JSON.stringify(shape)} is not a tuple of non-negative integers`);
  }
  const dims = shape as number[];
  const dtype = DTYPES[descr as NpyDescr];
  const count = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - dataStart;
  if (available < count * dtype.bytes) {
    throw new DatasetError(file, `truncated: shape (${dims.join(', ')}) of ${descr} needs ${count * dtype.bytes} data bytes, the file has ${available}`);
  }
  if (available > count * dtype.bytes) throw new DatasetError(file, `${available - count * dtype.bytes} trailing bytes after the (${dims.join(', ')}) data`);
  if (descr === '|u1') return { descr, shape: dims, data: new Uint8Array(bytes.subarray(dataStart, dataStart + count)) };
  if (descr === '<f4') {
    // Copy to an aligned buffer; typed arrays are little-endian on every platform Node runs on.
    const aligned = new Uint8Array(bytes.subarray(dataStart, dataStart + count * 4)); // a copy, offset 0
    return { descr, shape: dims, data: new Float32Array(aligned.buffer, aligned.byteOffset, count) };
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataStart + i * dtype.bytes);
  return { descr: descr as NpyDescr, shape: dims, data };
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

/** Encodes a C-order `.npy` (version 1.0) of uint8, int32, int64, float32 or float64 data, e.g. test fixtures. */
export function encodeNpy(data: Uint8Array | Int32Array | BigInt64Array | Float32Array | Float64Array, shape: number[]): Uint8Array {
  const descr =
    data instanceof Uint8Array ? '|u1' : data instanceof Int32Array ? '<i4' : data instanceof BigInt64Array ? '<i8' : data instanceof Float32Array ? '<f4' : '<f8';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = 10 + header.length + 1;
  header = header + ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + header.length);
  return out;
}
