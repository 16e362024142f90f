/**
 * Bounded reads from a file handle: the readers only ever hold the header and
 * one chunk of rows in memory. I/O failures become {@link EmbeddingFormatError}s
 * that name the file.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { EmbeddingFormatError } from './embedding-format-error.ts';

/** An open file with its size at open time. */
export interface OpenedFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens `path` read-only and stats it; a missing or unreadable file raises
 * `EmbeddingFormatError` (code `unreadable`) naming the path and the reason.
 */
export async function openFile(path: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new EmbeddingFormatError('unreadable', path, `cannot open: ${reason(error)}`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new EmbeddingFormatError('unreadable', path, 'is not a regular file');
    return { path, handle, size: stat.size };
  } catch (error) {
    await handle.close();
    if (error instanceof EmbeddingFormatError) throw error;
    throw new EmbeddingFormatError('unreadable', path, `cannot stat: ${reason(error)}`);
  }
}

/**
 * Reads exactly `length` bytes at `position` into a fresh, 8-byte aligned
 * buffer (so typed-array views over it are valid). Fewer bytes than asked (the
 * file shrank or is shorter than its header claims) raise code `truncated`.
 */
export async function readRange(file: OpenedFile, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(new ArrayBuffer(length));
  let filled = 0;
  while (filled < length) {
    let bytesRead: number;
    try {
      ({ bytesRead } = await file.handle.read(bytes, filled, length - filled, position + filled));
    } catch (error) {
      throw new EmbeddingFormatError('unreadable', file.path, `read failed at byte ${position + filled}: ${reason(error)}`);
    }
    if (bytesRead === 0) {
      throw new EmbeddingFormatError(
        'truncated',
        file.path,
        `file ends at byte ${position + filled} but ${length} bytes were expected from byte ${position} (truncated file?)`,
      );
    }
    filled += bytesRead;
  }
  return bytes;
}

function reason(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    const messages: Record<string, string> = {
      ENOENT: 'no such file',
      EACCES: 'permission denied',
      EISDIR: 'is a directory',
    };
    return messages[error.code] ?? (error instanceof Error ? error.message : error.code);
  }
  return error instanceof Error ? error.message : String(error);
}
