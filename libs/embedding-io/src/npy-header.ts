/**
 * Reads and validates the header of a NumPy `.npy` file (format versions 1.0,
 * 2.0 and 3.0, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version, header length, then a Python dict literal with
 * `descr`, `fortran_order` and `shape`. Only 2-D, C-order, little-endian
 * float32/float64 arrays are embeddings; everything else is refused by name.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { bytesPerElement } from './element-decoding.ts';
import { openFile, readRange } from './file-range.ts';
import { parsePythonLiteral, PythonLiteralSyntaxError, type PythonLiteral } from './python-literal.ts';

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

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const MAX_HEADER_BYTES = 1 << 20;

/**
 * Parses the header of the `.npy` file at `path` and checks the file size
 * against it. Raises `EmbeddingFormatError` for a bad magic, an unknown version,
 * a corrupt header dict, a dtype other than `<f4`/`<f8` (e.g. "descr '<i8' is
 * not supported: use float32 or float64"), Fortran order, a shape that is not
 * 2-D, or a data section shorter (`truncated`) or longer than the shape says.
 */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const file = await openFile(path);
  try {
    if (file.size < 10) throw new EmbeddingFormatError('bad-magic', path, `${file.size} bytes is too short for a .npy file`);
    const prefix = await readRange(file, 0, Math.min(12, file.size));
    if (!MAGIC.every((byte, i) => prefix[i] === byte)) {
      throw new EmbeddingFormatError('bad-magic', path, 'missing the \\x93NUMPY magic: not a .npy file');
    }
    const major = prefix[6] ?? 0;
    const minor = prefix[7] ?? 0;
    if (![1, 2, 3].includes(major) || minor !== 0) {
      throw new EmbeddingFormatError('unsupported-version', path, `format version ${major}.${minor} is not supported: expected 1.0, 2.0 or 3.0`);
    }
    const view = new DataView(prefix.buffer);
    const lengthBytes = major === 1 ? 2 : 4;
    if (prefix.length < 8 + lengthBytes) throw new EmbeddingFormatError('bad-header', path, 'header length field is cut off');
    const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
    const headerStart = 8 + lengthBytes;
    if (headerLength > MAX_HEADER_BYTES || headerStart + headerLength > file.size) {
      throw new EmbeddingFormatError('bad-header', path, `header length ${headerLength} exceeds the file size ${file.size}`);
    }
    const headerBytes = await readRange(file, headerStart, headerLength);
    const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
    const fields = parseHeaderDict(text, path);
    const header = validateFields(fields, path, `${major}.0` as NpyHeader['version'], headerStart + headerLength);
    const available = file.size - header.dataOffset;
    if (available < header.dataBytes) {
      throw new EmbeddingFormatError(
        'truncated',
        path,
        `data section has ${available} bytes but shape (${header.n}, ${header.d}) of ${header.descr} needs ${header.dataBytes} (truncated file?)`,
      );
    }
    if (available > header.dataBytes) {
      throw new EmbeddingFormatError(
        'trailing-bytes',
        path,
        `data section has ${available} bytes but shape (${header.n}, ${header.d}) of ${header.descr} needs only ${header.dataBytes}`,
      );
    }
    return header;
  } finally {
    await file.handle.close();
  }
}

function parseHeaderDict(text: string, path: string): Record<string, PythonLiteral> {
  let value: PythonLiteral;
  try {
    value = parsePythonLiteral(text.trimEnd());
  } catch (error) {
    const detail = error instanceof PythonLiteralSyntaxError ? error.message : String(error);
    throw new EmbeddingFormatError('bad-header', path, `corrupt header ${describeHeader(text)}: ${detail}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new EmbeddingFormatError('bad-header', path, `corrupt header ${describeHeader(text)}: not a dict`);
  }
  return value;
}

function validateFields(fields: Record<string, PythonLiteral>, path: string, version: NpyHeader['version'], dataOffset: number): NpyHeader {
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in fields)) throw new EmbeddingFormatError('bad-header', path, `header has no '${key}' key`);
  }
  const { descr, fortran_order: fortranOrder, shape } = fields;
  if (typeof descr !== 'string') {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr ${JSON.stringify(descr)} is a structured dtype: use float32 or float64`);
  }
  if (descr === '>f4' || descr === '>f8') {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr '${descr}' is big-endian: save as '<${descr.slice(1)}' (little-endian)`);
  }
  if (descr !== '<f4' && descr !== '<f8') {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr '${descr}' is not supported: use float32 or float64`);
  }
  if (typeof fortranOrder !== 'boolean') {
    throw new EmbeddingFormatError('bad-header', path, `fortran_order ${JSON.stringify(fortranOrder)} is not a boolean`);
  }
  if (fortranOrder) {
    throw new EmbeddingFormatError('fortran-order', path, 'fortran_order True is not supported: save a C-order array (np.ascontiguousarray)');
  }
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
    throw new EmbeddingFormatError('bad-header', path, `shape ${JSON.stringify(shape)} is not a tuple of non-negative integers`);
  }
  const dims = shape as number[];
  const shown = `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
  if (dims.length !== 2) {
    throw new EmbeddingFormatError('bad-shape', path, `shape ${shown} is ${dims.length}-D: embeddings must be 2-D (n, d)`);
  }
  const [n = 0, d = 0] = dims;
  if (d === 0) throw new EmbeddingFormatError('bad-shape', path, `shape ${shown} has no columns`);
  const dtype = descr === '<f4' ? 'float32' : 'float64';
  const dataBytes = n * d * bytesPerElement(dtype);
  return { version, descr, dtype, n, d, dataOffset, dataBytes };
}

function describeHeader(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed);
}
