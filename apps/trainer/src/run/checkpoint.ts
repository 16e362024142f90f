import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomicSync } from '@siamwatch/embedding-io';

/** Raised when a checkpoint file is missing, truncated or fails its checksum; names the file. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
  constructor(
    message: string,
    readonly file: string,
  ) {
    super(message);
  }
}

/** One tensor of saved state: its shape and values (row-major float32). */
export interface TensorState {
  shape: number[];
  data: Float32Array;
}

/** What a checkpoint holds: the tensors (weights, BN stats, optimizer buffers, EMA target) and JSON metadata
 * (step, RNG and scheduler states, regime history...). */
export interface Checkpoint {
  step: number;
  tensors: Record<string, TensorState>;
  meta: Record<string, unknown>;
}

const MAGIC = Buffer.from('SWCKPT01', 'ascii');
const HASH_BYTES = 32;
const PREFIX = MAGIC.length + HASH_BYTES + 4;
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Serialises a checkpoint: `SWCKPT01`, sha256 of everything after the hash, uint32 header length,
 * header JSON (step, meta, tensor index) and the float32 payload (little-endian).
 */
export function encodeCheckpoint(checkpoint: Checkpoint): Buffer {
  const names = Object.keys(checkpoint.tensors).sort();
  const index: IndexEntry[] = [];
  let offset = 0;
  for (const name of names) {
    const tensor = checkpoint.tensors[name]!;
    index.push({ name, shape: [...tensor.shape], offset, length: tensor.data.length });
    offset += tensor.data.length * 4;
  }
  const header = Buffer.from(JSON.stringify({ step: checkpoint.step, meta: checkpoint.meta, tensors: index }), 'utf8');
  const out = Buffer.alloc(PREFIX + header.length + offset);
  MAGIC.copy(out, 0);
  out.writeUInt32LE(header.length, MAGIC.length + HASH_BYTES);
  header.copy(out, PREFIX);
  const payloadStart = PREFIX + header.length;
  for (const entry of index) {
    const data = checkpoint.tensors[entry.name]!.data;
    const at = payloadStart + entry.offset;
    if (LITTLE_ENDIAN) Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(out, at);
    else for (let i = 0; i < data.length; i++) out.writeFloatLE(data[i]!, at + i * 4);
  }
  createHash('sha256').update(out.subarray(MAGIC.length + HASH_BYTES)).digest().copy(out, MAGIC.length);
  return out;
}

/** One entry of the tensor index in a checkpoint header. */
interface IndexEntry {
  name: string;
  shape: number[];
  offset: number;
  length: number;
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Validates the parsed header JSON; everything a damaged (but checksum-valid) file could hold raises. */
function checkHeader(json: unknown, file: string, payloadBytes: number): { step: number; meta: Record<string, unknown>; tensors: IndexEntry[] } {
  const fail = (what: string): never => {
    throw new CheckpointError(`checkpoint "${file}" has a corrupt header: ${what}`, file);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return fail('not a JSON object');
  const { step, meta, tensors } = json as Record<string, unknown>;
  if (!isCount(step)) fail(`step ${JSON.stringify(step)} is not a non-negative integer`);
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) fail('meta is not an object');
  if (!Array.isArray(tensors)) return fail('tensors is not an array');
  const seen = new Set<string>();
  for (const [i, entry] of tensors.entries()) {
    if (entry === null || typeof entry !== 'object') fail(`tensors[${i}] is not an object`);
    const { name, shape, offset, length } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || seen.has(name)) fail(`tensors[${i}] has a missing or repeated name`);
    seen.add(name as string);
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor "${String(name)}" shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!isCount(offset) || !isCount(length)) fail(`tensor "${String(name)}" offset/length are not non-negative integers`);
    if ((shape as number[]).reduce((a, b) => a * b, 1) !== length) fail(`tensor "${String(name)}" shape [${String(shape)}] does not hold ${String(length)} values`);
    if ((offset as number) + (length as number) * 4 > payloadBytes) {
      throw new CheckpointError(`checkpoint "${file}" is truncated at tensor "${String(name)}"`, file);
    }
  }
  return { step: step as number, meta: meta as Record<string, unknown>, tensors: tensors as IndexEntry[] };
}

/**
 * Parses and verifies a checkpoint; any damage raises {@link CheckpointError} naming `file`: a bad magic,
 * a checksum mismatch, and (for a file whose checksum was recomputed over damaged content) a header that is
 * not the JSON written by {@link encodeCheckpoint} or a tensor index reaching past the payload. Tensors are
 * only allocated after the index was checked against the bytes present.
 */
export function decodeCheckpoint(bytes: Buffer, file: string): Checkpoint {
  if (bytes.length < PREFIX || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CheckpointError(`checkpoint "${file}" is not a SiamWatch checkpoint (bad magic or truncated)`, file);
  }
  const expected = bytes.subarray(MAGIC.length, MAGIC.length + HASH_BYTES);
  const actual = createHash('sha256').update(bytes.subarray(MAGIC.length + HASH_BYTES)).digest();
  if (!actual.equals(expected)) {
    throw new CheckpointError(`checkpoint "${file}" is corrupt: sha256 checksum mismatch`, file);
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length + HASH_BYTES);
  if (PREFIX + headerLength > bytes.length) {
    throw new CheckpointError(`checkpoint "${file}" is truncated: header length ${headerLength} runs past the end (${bytes.length} bytes)`, file);
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.subarray(PREFIX, PREFIX + headerLength).toString('utf8'));
  } catch (error) {
    throw new CheckpointError(`checkpoint "${file}" has a corrupt header: ${(error as Error).message}`, file);
  }
  const payloadStart = PREFIX + headerLength;
  const header = checkHeader(json, file, bytes.length - payloadStart);
  // No prototype: a tensor named '__proto__' is an ordinary entry.
  const tensors = Object.create(null) as Record<string, TensorState>;
  for (const entry of header.tensors) {
    const at = payloadStart + entry.offset;
    const data = new Float32Array(entry.length);
    if (LITTLE_ENDIAN) new Uint8Array(data.buffer).set(bytes.subarray(at, at + entry.length * 4));
    else for (let i = 0; i < entry.length; i++) data[i] = bytes.readFloatLE(at + i * 4);
    tensors[entry.name] = { shape: entry.shape, data };
  }
  return { step: header.step, meta: header.meta, tensors };
}

/** The file name of the checkpoint at `step` (zero-padded so names sort by step). */
export function checkpointFileName(step: number): string {
  return `step-${String(step).padStart(9, '0')}.ckpt`;
}

/** Checkpoint files in `dir`, oldest first, with their steps. */
export function listCheckpoints(dir: string): { file: string; step: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => /^step-(\d+)\.ckpt$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ file: join(dir, match[0]), step: Number(match[1]) }))
    .sort((a, b) => a.step - b.step);
}

/**
 * Writes a checkpoint atomically (temp file, fsync, rename, fsync dir) into `dir` and deletes all
 * but the newest `keep` checkpoints. Returns the path written.
 */
export function saveCheckpoint(dir: string, checkpoint: Checkpoint, keep = 2): string {
  const file = join(dir, checkpointFileName(checkpoint.step));
  writeFileAtomicSync(file, encodeCheckpoint(checkpoint));
  const all = listCheckpoints(dir);
  for (const old of all.slice(0, Math.max(0, all.length - keep))) rmSync(old.file, { force: true });
  return file;
}

/** Reads and verifies one checkpoint file; raises {@link CheckpointError} naming the file. */
export function loadCheckpoint(file: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new CheckpointError(`cannot read checkpoint "${file}": ${(error as Error).message}`, file);
  }
  return decodeCheckpoint(bytes, file);
}

/** The newest checkpoint in `dir`, or undefined when there is none. A corrupt newest file raises. */
export function loadLatestCheckpoint(dir: string): Checkpoint | undefined {
  const all = listCheckpoints(dir);
  const latest = all[all.length - 1];
  return latest ? loadCheckpoint(latest.file) : undefined;
}
