import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

/**
 * Flushes a directory's entry table to disk so a rename inside it survives a power loss.
 * Best effort: some filesystems refuse to open directories for fsync.
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
 * Writes `data` to `path` atomically: a temp file in the same directory, fsync, rename over the
 * target, fsync of the directory. A reader (or a process killed at any moment) sees either the
 * old file or the complete new one, never a torn write.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  const fd = openSync(temp, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let offset = 0;
    while (offset < bytes.length) {
      offset += writeSync(fd, bytes, offset, bytes.length - offset);
    }
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, path);
  fsyncDirectory(dir);
}

/**
 * Deletes temp files that {@link writeFileAtomic} left in `dir` when a process was killed mid-write
 * (`.<name>.<pid>.<n>.tmp`). Returns how many were removed.
 */
export function removeStaleTempFiles(dir: string): number {
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (/^\..+\.\d+\.\d+\.tmp$/.test(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}
