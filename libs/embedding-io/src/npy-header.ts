/**
 * Reads and validates the header of a NumPy `.npy` file (format versions 1.0,
 * 2.0 and 3.0; the container itself is parsed by `npy-format.ts`). Only 2-D, C-order, little-endian
 * float32/float64 arrays are embeddings; everything else is refused by name.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { bytesPerElement } from './element-decoding.ts';
import { openFile, readRange } from './file-range.ts';
import { checkNpyDataSize, formatNpyShape, NPY_PREAMBLE_BYTES, parseNpyFields, parseNpyPreamble, type NpyFields } from './npy-format.ts';

/** The validated header of a 2-D float `.npy` file. */
export interface NpyHeader {
  /** Format version, e.g. `'1.0'`. */
  readonly version: '1.0' | '2.0' | '3.0';
  /** numpy dtype string, `'<f4'` or `'<f8'`. */
  readonly descr: '<f4' | '<f8';
  readonly dtype: 'float32' | 'float64';
  /** Rows (samples). */
  readonly n: number;
  /** Columns (embedding dimension). */
  readonly d: number;
  /** Byte offset of the data section. */
  readonly dataOffset: number;
  /** Bytes of the data section, `n * d * bytesPerElement`. */
  readonly dataBytes: number;
}

/**
 * Parses the header of the `.npy` file at `path` and checks the file size
 * against it. Raises `EmbeddingFormatError` for a bad magic, an unknown version,
 * a corrupt header dict, a dtype other than `<f4`/`<f8` (e.g. "descr '<i8' is
 * not supported: use float32 or float64"), Fortran order, a shape that is not
 * 2-D, or a data section shorter (`truncated`) or longer than the shape says.
 * Only the header is read: the rows are streamed later (see `streamNpyRows`).
 */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const file = await openFile(path);
  try {
    const prefix = file.size < 10 ? new Uint8Array(0) : await readRange(file, 0, Math.min(NPY_PREAMBLE_BYTES, file.size));
    const preamble = parseNpyPreamble(prefix, file.size, path);
    const headerBytes = await readRange(file, preamble.headerStart, preamble.headerLength);
    const header = embeddingHeader(parseNpyFields(headerBytes, preamble, path), path);
    checkNpyDataSize(file.size - header.dataOffset, header.dataBytes, [header.n, header.d], header.descr, path);
    return header;
  } finally {
    await file.handle.close();
  }
}

/** Narrows generic `.npy` fields to a 2-D float32/float64 embedding matrix. */
function embeddingHeader(fields: NpyFields, path: string): NpyHeader {
  const { descr, shape: dims } = fields;
  if (descr !== '<f4' && descr !== '<f8') {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr '${descr}' is not supported: use float32 or float64`);
  }
  const shown = formatNpyShape(dims);
  if (dims.length !== 2) {
    throw new EmbeddingFormatError('bad-shape', path, `shape ${shown} is ${dims.length}-D: embeddings must be 2-D (n, d)`);
  }
  const [n = 0, d = 0] = dims;
  if (d === 0) throw new EmbeddingFormatError('bad-shape', path, `shape ${shown} has no columns`);
  const dtype = descr === '<f4' ? 'float32' : 'float64';
  const dataBytes = n * d * bytesPerElement(dtype);
  return { version: fields.version, descr, dtype, n, d, dataOffset: fields.dataOffset, dataBytes };
}
