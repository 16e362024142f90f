/**
 * Writes tensors as a `.safetensors` file (8-byte LE header length, JSON
 * header, 8-byte aligned data), atomically. Used by tests and tools to produce
 * inputs for `siamwatch analyze`; any dtype tag is written as given.
 */
import { bytesOf, writeFileAtomic } from './atomic-write.ts';
import { EmbeddingFormatError } from './embedding-format-error.ts';

/** One tensor to write: safetensors dtype tag, shape, and its raw little-endian elements. */
export interface SafetensorsTensorInput {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly data: ArrayBufferView;
}

/**
 * Encodes `tensors` (in insertion order) plus optional string `metadata` as the
 * byte parts of a safetensors file: `[lengthPrefix, headerJson, ...tensorBytes]`.
 * The header is space-padded so the data section starts 8-byte aligned.
 */
export function encodeSafetensors(
  tensors: Readonly<Record<string, SafetensorsTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const bytes = bytesOf(tensor.data);
    header[name] = { dtype: tensor.dtype, shape: tensor.shape, data_offsets: [offset, offset + bytes.byteLength] };
    parts.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((8 + json.length) % 8)) % 8);
  const jsonBytes = new TextEncoder().encode(json);
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, BigInt(jsonBytes.byteLength), true);
  return [prefix, jsonBytes, ...parts];
}

/**
 * Saves `tensors` (e.g. `{ embeddings: { dtype: 'F32', shape: [n, d], data } }`,
 * data row-major little-endian) and optional `metadata` to `path` atomically
 * (temp file, fsync, rename). Raises `EmbeddingFormatError` for a reserved
 * name or a bad shape.
 */
export async function writeSafetensors(
  path: string,
  tensors: Readonly<Record<string, SafetensorsTensorInput>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name === '__metadata__') throw new EmbeddingFormatError('bad-argument', path, `tensor name '${name}' is reserved`);
    if (!tensor.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
      throw new EmbeddingFormatError('bad-argument', path, `tensor '${name}' shape [${tensor.shape.join(', ')}] is not non-negative integers`);
    }
  }
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}
