/**
 * The NumPy `.npy` container shared by both `.npy` readers of this package
 * (format 1.0, 2.0 and 3.0, https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic `\x93NUMPY`, version, header length, a Python dict literal with
 * `descr`, `fortran_order` and `shape`, then the data. Everything here checks
 * sizes before anything is allocated, so a header claiming 10^15 elements is
 * refused by a typed error instead of an allocation.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { parsePythonLiteral, PythonLiteralSyntaxError, type PythonLiteral } from './python-literal.ts';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Largest header dict read (numpy's own limit is far lower); bounds memory for hostile files. */
export const NPY_MAX_HEADER_BYTES = 1 << 20;
/** Bytes of the fixed preamble needed to locate the header (magic, version, length field). */
export const NPY_PREAMBLE_BYTES = 12;

/** Where the header dict of a `.npy` file lies. */
export interface NpyPreamble {
  readonly version: '1.0' | '2.0' | '3.0';
  /** Byte offset of the header dict. */
  readonly headerStart: number;
  /** Bytes of the header dict. */
  readonly headerLength: number;
}

/** The validated, dtype-agnostic fields of a `.npy` header. */
export interface NpyFields {
  readonly version: '1.0' | '2.0' | '3.0';
  /** numpy dtype string (a plain, non-structured, not big-endian descr). */
  readonly descr: string;
  /** Dimensions, each a non-negative safe integer. */
  readonly shape: readonly number[];
  /** Byte offset of the data section. */
  readonly dataOffset: number;
}

/**
 * Parses the preamble from `prefix` (the first `min(12, fileSize)` bytes) of a
 * file of `fileSize` bytes. Raises `EmbeddingFormatError` (`bad-magic`,
 * `unsupported-version`, `bad-header`) for a foreign file, an unknown version,
 * or a header length beyond the file or {@link NPY_MAX_HEADER_BYTES}.
 */
export function parseNpyPreamble(prefix: Uint8Array, fileSize: number, path: string): NpyPreamble {
  if (fileSize < 10) throw new EmbeddingFormatError('bad-magic', path, `${fileSize} bytes is too short for a .npy file`);
  if (!MAGIC.every((byte, i) => prefix[i] === byte)) {
    throw new EmbeddingFormatError('bad-magic', path, 'missing the \\x93NUMPY magic: not a .npy file');
  }
  const major = prefix[6] ?? 0;
  const minor = prefix[7] ?? 0;
  if (![1, 2, 3].includes(major) || minor !== 0) {
    throw new EmbeddingFormatError('unsupported-version', path, `format version ${major}.${minor} is not supported: expected 1.0, 2.0 or 3.0`);
  }
  const lengthBytes = major === 1 ? 2 : 4;
  if (prefix.length < 8 + lengthBytes) throw new EmbeddingFormatError('bad-header', path, 'header length field is cut off');
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lengthBytes;
  if (headerLength > NPY_MAX_HEADER_BYTES || headerStart + headerLength > fileSize) {
    throw new EmbeddingFormatError('bad-header', path, `header length ${headerLength} exceeds the file size ${fileSize}`);
  }
  return { version: `${major}.0` as NpyPreamble['version'], headerStart, headerLength };
}

/**
 * Parses and checks the header dict `headerBytes` located by `preamble`:
 * the three keys, a plain little-endian (or byte-sized) `descr`, C order, and a
 * shape of non-negative integers. Raises `EmbeddingFormatError` naming the bad
 * value (`bad-header`, `unsupported-dtype`, `fortran-order`).
 */
export function parseNpyFields(headerBytes: Uint8Array, preamble: NpyPreamble, path: string): NpyFields {
  const text = new TextDecoder(preamble.version === '3.0' ? 'utf-8' : 'latin1').decode(headerBytes);
  const fields = parseHeaderDict(text, path);
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!Object.hasOwn(fields, key)) throw new EmbeddingFormatError('bad-header', path, `header has no '${key}' key`);
  }
  const { descr, fortran_order: fortranOrder, shape } = fields;
  if (typeof descr !== 'string') {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr ${describeLiteral(descr)} is a structured dtype: use a plain numeric dtype`);
  }
  if (descr.startsWith('>')) {
    throw new EmbeddingFormatError('unsupported-dtype', path, `descr '${descr}' is big-endian: save as '<${descr.slice(1)}' (little-endian)`);
  }
  if (typeof fortranOrder !== 'boolean') {
    throw new EmbeddingFormatError('bad-header', path, `fortran_order ${describeLiteral(fortranOrder)} is not a boolean`);
  }
  if (fortranOrder) {
    throw new EmbeddingFormatError('fortran-order', path, 'fortran_order True is not supported: save a C-order array (np.ascontiguousarray)');
  }
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === 'number' && Number.isSafeInteger(s) && s >= 0)) {
    throw new EmbeddingFormatError('bad-header', path, `shape ${describeLiteral(shape)} is not a tuple of non-negative integers`);
  }
  return { version: preamble.version, descr, shape: shape as number[], dataOffset: preamble.headerStart + preamble.headerLength };
}

/** A shape as numpy prints it: `(6,)`, `(2, 3)`, `()`. */
export function formatNpyShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/**
 * Checks that the `available` bytes after the header are exactly the `needed`
 * bytes of `shape` x `descr`. Raises `EmbeddingFormatError` `truncated` or
 * `trailing-bytes` with both sizes. `needed` may exceed 2^53 (it is compared, never allocated).
 */
export function checkNpyDataSize(available: number, needed: number, shape: readonly number[], descr: string, path: string): void {
  const shown = formatNpyShape(shape);
  if (available < needed) {
    throw new EmbeddingFormatError(
      'truncated',
      path,
      `truncated: shape ${shown} of ${descr} needs ${needed} data bytes, the file has ${available} (data section has ${available} bytes but shape ${shown} of ${descr} needs ${needed})`,
    );
  }
  if (available > needed) {
    throw new EmbeddingFormatError(
      'trailing-bytes',
      path,
      `${available - needed} trailing bytes after the ${shown} data: data section has ${available} bytes but shape ${shown} of ${descr} needs only ${needed}`,
    );
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

function describeLiteral(value: PythonLiteral | undefined): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function describeHeader(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed);
}
