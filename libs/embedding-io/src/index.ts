/**
 * `@siamwatch/embedding-io`: readers for the inputs of SiamWatch's collapse
 * metrics (Li, Efros & Pathak, ECCV 2022): `n x d` embedding matrices in
 * `.npy` / `.safetensors`, streamed in row chunks so files larger than memory
 * work, and singular-value spectra in JSON. No framework imports.
 */
export {
  EmbeddingFormatError,
  describeValue,
  type EmbeddingFormatErrorCode,
} from './embedding-format-error.ts';
export {
  bytesPerElement,
  rowDtypeOf,
  decodeElements,
  halfToFloat,
  floatToHalf,
  type StoredDtype,
  type RowDtype,
  type RowMatrix,
} from './element-decoding.ts';
export {
  streamRows,
  defaultChunkRows,
  checkChunkRows,
  DEFAULT_CHUNK_BYTES,
  type RowChunk,
  type RowLayout,
} from './row-chunks.ts';
export { readNpyHeader, type NpyHeader } from './npy-header.ts';
export { parseNpy, NPY_DESCRS, type NpyArray, type NpyDescr } from './npy-array.ts';
export { parseIdx, type IdxArray } from './idx-array.ts';
export { writeNpy, encodeNpy, encodeNpyHeader, encodeNpyShapeHeader, type WriteNpyOptions } from './npy-writer.ts';
export {
  readSafetensorsHeader,
  type SafetensorsHeader,
  type SafetensorsTensorInfo,
} from './safetensors-header.ts';
export {
  selectSafetensorsTensor,
  describeTensors,
  type SafetensorsSelection,
} from './safetensors-tensor.ts';
export { writeSafetensors, encodeSafetensors, type SafetensorsTensorInput } from './safetensors-writer.ts';
export { readSpectraJson, parseSpectraJson, type Spectrum } from './spectra-json.ts';
export {
  openEmbeddingSource,
  detectEmbeddingFormat,
  streamNpyRows,
  readAllRows,
  type EmbeddingFormat,
  type MatrixSource,
  type SpectraSource,
  type EmbeddingSource,
  type OpenEmbeddingSourceOptions,
} from './embedding-source.ts';
export {
  writeFileAtomic,
  writeFileAtomicSync,
  fsyncDirectory,
  removeStaleTempFiles,
  type AtomicWriteData,
} from './atomic-write.ts';
export { parsePythonLiteral, PythonLiteralSyntaxError, type PythonLiteral } from './python-literal.ts';
