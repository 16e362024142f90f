/**
 * Reads and validates the header of a `.safetensors` file
 * (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, N bytes of JSON mapping tensor names to `{dtype, shape,
 * data_offsets: [begin, end]}` (offsets relative to the byte after the
 * header), an optional `__metadata__` string map, then the data.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { openFile, readRange } from './file-range.ts';

/** One tensor entry of a safetensors header, with absolute byte offsets. */
export interface SafetensorsTensorInfo {
  readonly name: string;
  /** safetensors dtype tag, e.g. `'F32'`, `'BF16'`, `'I64'`. */
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute byte offset of the first element in the file. */
  readonly start: number;
  /** Bytes of the tensor. */
  readonly byteLength: number;
}

/** A parsed safetensors header. */
export interface SafetensorsHeader {
  /** Byte offset where the data section starts (8 + header length). */
  readonly dataStart: number;
  readonly tensors: readonly SafetensorsTensorInfo[];
  readonly metadata: Readonly<Record<string, string>>;
}

const MAX_HEADER_BYTES = 100 * 1024 * 1024;
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1, U8: 1, I8: 1, F8_E4M3: 1, F8_E5M2: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
};

/**
 * Parses the header of the safetensors file at `path`. Raises
 * `EmbeddingFormatError` for a header length beyond the file, corrupt JSON,
 * malformed entries, and data offsets outside the data section or not
 * matching dtype x shape (code `bad-offsets`).
 */
export async function readSafetensorsHeader(path: string): Promise<SafetensorsHeader> {
  const file = await openFile(path);
  try {
    if (file.size < 8) throw new EmbeddingFormatError('bad-header', path, `${file.size} bytes is too short for a safetensors file`);
    const prefix = await readRange(file, 0, 8);
    const headerLength = new DataView(prefix.buffer).getBigUint64(0, true);
    if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, file.size - 8))) {
      throw new EmbeddingFormatError('bad-header', path, `header length ${headerLength} exceeds the file size ${file.size}`);
    }
    const length = Number(headerLength);
    const text = new TextDecoder().decode(await readRange(file, 8, length));
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new EmbeddingFormatError('bad-header', path, `corrupt JSON header: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new EmbeddingFormatError('bad-header', path, 'header JSON is not an object');
    }
    const dataStart = 8 + length;
    const dataSize = file.size - dataStart;
    const tensors: SafetensorsTensorInfo[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, entry] of Object.entries(json)) {
      if (name === '__metadata__') {
        metadata = entry !== null && typeof entry === 'object' ? (entry as Record<string, string>) : {};
        continue;
      }
      tensors.push(parseEntry(path, name, entry, dataStart, dataSize));
    }
    return { dataStart, tensors, metadata };
  } finally {
    await file.handle.close();
  }
}

function parseEntry(path: string, name: string, entry: unknown, dataStart: number, dataSize: number): SafetensorsTensorInfo {
  const fail = (message: string): never => {
    throw new EmbeddingFormatError('bad-header', path, `tensor '${name}': ${message}`);
  };
  if (entry === null || typeof entry !== 'object') return fail(`entry ${JSON.stringify(entry)} is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string') return fail(`dtype ${JSON.stringify(dtype)} is not a string`);
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    return fail(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    return fail(`data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataSize) {
    throw new EmbeddingFormatError(
      'bad-offsets',
      path,
      `tensor '${name}': data_offsets [${begin}, ${end}] are out of range: the data section has ${dataSize} bytes`,
    );
  }
  const elementBytes = DTYPE_BYTES[dtype];
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  if (elementBytes !== undefined && end - begin !== count * elementBytes) {
    throw new EmbeddingFormatError(
      'bad-offsets',
      path,
      `tensor '${name}': data_offsets [${begin}, ${end}] span ${end - begin} bytes but ${dtype} [${shape.join(', ')}] needs ${count * elementBytes}`,
    );
  }
  return { name, dtype, shape: shape as number[], start: dataStart + begin, byteLength: end - begin };
}
