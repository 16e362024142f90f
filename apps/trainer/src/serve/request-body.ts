import type { IncomingMessage } from 'node:http';
import { IngestError } from './serve-errors.ts';

/**
 * Reads a request body of at most `limit` bytes. A `Content-Length` above the limit is refused before reading;
 * a body that grows past it while streaming is refused as soon as it does. Refusals are IngestError
 * `too-large` (413); the rest of the body is drained and discarded so the client reads the answer.
 */
export function readRequestBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    return Promise.reject(new IngestError('too-large', `body of ${declared} bytes exceeds the limit of ${limit} bytes per request`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        chunks.length = 0;
        reject(new IngestError('too-large', `body exceeds the limit of ${limit} bytes per request`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (!refused) reject(error);
    });
  });
}
