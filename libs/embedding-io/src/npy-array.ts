/**
 * The in-memory `.npy` reader: arrays of any rank (image datasets, labels) of
 * byte-sized or little-endian integer and float dtypes, C order, parsed from
 * bytes already in memory. Sizes are checked against the bytes before anything
 * is allocated, so the output is never larger than 8x the input.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { checkNpyDataSize, NPY_PREAMBLE_BYTES, parseNpyFields, parseNpyPreamble } from './npy-format.ts';

/** The dtypes {@link parseNpy} reads, by numpy `descr`, with their element size and decoder. */
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

/** A numpy dtype string {@link parseNpy} accepts. */
export type NpyDescr = keyof typeof DTYPES;

/** The dtypes {@link parseNpy} accepts. */
export const NPY_DESCRS: readonly NpyDescr[] = Object.keys(DTYPES) as NpyDescr[];

/** A decoded array: uint8 stays bytes, float32 stays float32, every other dtype becomes float64. */
export interface NpyArray {
  readonly descr: NpyDescr;
  readonly shape: number[];
  readonly data: Uint8Array | Float32Array | Float64Array;
}

function isDescr(descr: string): descr is NpyDescr {
  return Object.hasOwn(DTYPES, descr);
}

/**
 * Parses the `.npy` bytes of an array of any rank; `path` names the source in
 * every error. Raises `EmbeddingFormatError`: `bad-magic`, `unsupported-version`,
 * `bad-header`, `unsupported-dtype` (anything outside {@link NPY_DESCRS}),
 * `fortran-order`, `truncated` (e.g. "truncated: shape (4, 3, 3) of |u1 needs
 * 36 data bytes, the file has 31 ...") and `trailing-bytes`.
 */
export function parseNpy(bytes: Uint8Array, path: string): NpyArray {
  const preamble = parseNpyPreamble(bytes.subarray(0, NPY_PREAMBLE_BYTES), bytes.length, path);
  const fields = parseNpyFields(bytes.subarray(preamble.headerStart, preamble.headerStart + preamble.headerLength), preamble, path);
  const { descr, dataOffset } = fields;
  if (!isDescr(descr)) {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr '${descr}' is not supported: use one of ${NPY_DESCRS.join(', ')} (little-endian, C order)`);
  }
  const shape = [...fields.shape];
  const dtype = DTYPES[descr];
  const count = shape.reduce((a, b) => a * b, 1);
  checkNpyDataSize(bytes.length - dataOffset, count * dtype.bytes, shape, descr, path);
  // From here count * dtype.bytes === the bytes present: every allocation is bounded by the input.
  if (descr === '|u1') return { descr, shape, data: bytes.slice(dataOffset, dataOffset + count) };
  if (descr === '<f4') {
    // Copy to an aligned buffer; typed arrays are little-endian on every platform Node runs on.
    const aligned = bytes.slice(dataOffset, dataOffset + count * 4);
    return { descr, shape, data: new Float32Array(aligned.buffer, aligned.byteOffset, count) };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) data[i] = dtype.read(view, dataOffset + i * dtype.bytes);
  return { descr, shape, data };
}
