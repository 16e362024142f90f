/**
 * The one crash-safe file writer of SiamWatch: the bytes go to a temporary file
 * in the target's directory (`.<name>.<pid>.<hex>.tmp`), are fsynced, and the
 * file is renamed over the target, then the directory is fsynced, so a reader
 * (or a process killed at any moment) sees either the old file or the complete
 * new one, never a torn write. An async and a sync form share the naming, the
 * clean-up and the directory fsync.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** What the writers take: a string (written as UTF-8), bytes, or byte parts written in order. */
export type AtomicWriteData = string | Uint8Array | readonly Uint8Array[];

/** Temp files {@link writeFileAtomic} / {@link writeFileAtomicSync} create: `.<name>.<pid>.<hex>.tmp`. */
const TEMP_NAME = /^\..+\.\d+\.[0-9a-f]+\.tmp$/;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

function partsOf(data: AtomicWriteData): readonly Uint8Array[] {
  if (typeof data === 'string') return [Buffer.from(data, 'utf8')];
  return data instanceof Uint8Array ? [data] : data;
}

/**
 * Writes `data` (a string, bytes, or byte parts in order) to `path` atomically:
 * temp file in the same directory, fsync, rename, then a best-effort fsync of
 * the directory. On failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, data: AtomicWriteData): Promise<void> {
  const dir = dirname(path);
  const temp = tempPathFor(path);
  const handle = await open(temp, 'wx');
  try {
    try {
      for (const part of partsOf(data)) {
        let written = 0;
        while (written < part.byteLength) {
          const { bytesWritten } = await handle.write(part, written, part.byteLength - written);
          written += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

/**
 * The synchronous form of {@link writeFileAtomic}, for callers that must not
 * yield (checkpoints and run files written between training steps).
 */
export function writeFileAtomicSync(path: string, data: AtomicWriteData): void {
  const dir = dirname(path);
  const temp = tempPathFor(path);
  const fd = openSync(temp, 'wx');
  try {
    try {
      for (const part of partsOf(data)) {
        let written = 0;
        while (written < part.byteLength) written += writeSync(fd, part, written, part.byteLength - written);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dir);
}

/**
 * Flushes a directory's entry table to disk so a rename inside it survives a
 * power loss. Best effort: some filesystems refuse to fsync a directory (the
 * rename is still atomic there).
 */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Directory fsync is not supported everywhere (e.g. some network filesystems).
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Deletes the temp files a writer left in `dir` when its process was killed
 * mid-write (`.<name>.<pid>.<hex>.tmp`). Returns how many were removed.
 */
export function removeStaleTempFiles(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (TEMP_NAME.test(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** A zero-copy byte view of a typed array (shares its memory). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
