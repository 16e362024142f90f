/**
 * Chooses the embedding tensor of a safetensors file: the one named by the
 * caller, or else the only 2-D tensor; refuses (listing the tensors) when the
 * choice is ambiguous, and maps safetensors dtypes to the supported ones.
 */
import { EmbeddingFormatError } from './embedding-format-error.ts';
import type { StoredDtype } from './element-decoding.ts';
import type { SafetensorsHeader, SafetensorsTensorInfo } from './safetensors-header.ts';
import type { RowLayout } from './row-chunks.ts';

const SUPPORTED: Record<string, StoredDtype> = { F32: 'float32', F64: 'float64', F16: 'float16', BF16: 'bfloat16' };

/** A selected safetensors tensor ready to stream: its name, stored dtype and row layout. */
export interface SafetensorsSelection {
  readonly tensor: SafetensorsTensorInfo;
  readonly layout: RowLayout;
}

/** One line per tensor, e.g. `'emb' F32 [100, 64]`, for error messages. */
export function describeTensors(tensors: readonly SafetensorsTensorInfo[]): string {
  if (tensors.length === 0) return '(no tensors)';
  return tensors.map((t) => `'${t.name}' ${t.dtype} [${t.shape.join(', ')}]`).join(', ');
}

/**
 * Picks the tensor called `name`, or (without a name) the only 2-D tensor of
 * `header`, and checks it is a 2-D F32/F64/F16/BF16 matrix. Raises
 * `EmbeddingFormatError` with code `tensor-not-found`, `ambiguous-tensor`,
 * `unsupported-dtype` or `bad-shape`; the message lists the file's tensors.
 */
export function selectSafetensorsTensor(path: string, header: SafetensorsHeader, name?: string): SafetensorsSelection {
  const listing = describeTensors(header.tensors);
  let tensor: SafetensorsTensorInfo | undefined;
  if (name !== undefined) {
    tensor = header.tensors.find((t) => t.name === name);
    if (!tensor) throw new EmbeddingFormatError('tensor-not-found', path, `no tensor named '${name}'; tensors: ${listing}`);
  } else {
    const matrices = header.tensors.filter((t) => t.shape.length === 2);
    if (matrices.length !== 1) {
      const why = matrices.length === 0 ? 'has no 2-D tensor' : `has ${matrices.length} 2-D tensors: pick one with --tensor`;
      throw new EmbeddingFormatError('ambiguous-tensor', path, `${why}; tensors: ${listing}`);
    }
    tensor = matrices[0] as SafetensorsTensorInfo;
  }
  const dtype = SUPPORTED[tensor.dtype];
  if (dtype === undefined) {
    throw new EmbeddingFormatError('unsupported-dtype', path, `tensor '${tensor.name}' has dtype ${tensor.dtype}: use F32, F64, F16 or BF16`);
  }
  if (tensor.shape.length !== 2) {
    throw new EmbeddingFormatError('bad-shape', path, `tensor '${tensor.name}' has shape [${tensor.shape.join(', ')}]: embeddings must be 2-D [n, d]`);
  }
  const [n = 0, d = 0] = tensor.shape;
  if (d === 0) throw new EmbeddingFormatError('bad-shape', path, `tensor '${tensor.name}' has shape [${n}, 0]: no columns`);
  return { tensor, layout: { dataOffset: tensor.start, n, d, dtype } };
}
