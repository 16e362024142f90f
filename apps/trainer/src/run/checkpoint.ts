import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { endianness } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic-write.ts';

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
  const index: { name: string; shape: number[]; offset: number; length: number }[] = [];
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

/** Parses and verifies a checkpoint; any damage raises {@link CheckpointError} naming `file`. */
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
  const header = JSON.parse(bytes.subarray(PREFIX, PREFIX + headerLength).toString('utf8')) as {
    step: number;
    meta: Record<string, unknown>;
    tensors: { name: string; shape: number[]; offset: number; length: number }[];
  };
  const payloadStart = PREFIX + headerLength;
  const tensors: Record<string, TensorState> = {};
  for (const entry of header.tensors) {
    const at = payloadStart + entry.offset;
    if (at + entry.length * 4 > bytes.length) {
      throw new CheckpointError(`checkpoint "${file}" is truncated at tensor "${entry.name}"`, file);
    }
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
  writeFileAtomic(file, encodeCheckpoint(checkpoint));
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
