/**
 * Crash-safe file writes: the bytes go to a temporary file in the target's
 * directory, are fsynced, and the file is renamed over the target, so a reader
 * sees either the old file or the complete new one, never a torn write.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `parts` (in order) to `path` atomically: temp file in the same
 * directory, fsync, rename, then a best-effort fsync of the directory.
 * On failure the temp file is removed and the error rethrown.
 */
export async function writeFileAtomic(path: string, parts: readonly Uint8Array[]): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  try {
    try {
      for (const part of parts) {
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
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  }
}

/** A zero-copy byte view of a typed array (shares its memory). */
export function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
