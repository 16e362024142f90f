/**
 * Turns an ingest body into rows per output with `@siamwatch/embedding-io`'s own readers, so a malformed body
 * gets exactly the message `siamwatch analyze` prints for the same bytes in a file (the file name replaced by
 * `request body`). `.npy` (magic `\x93NUMPY`) carries one output (`output=`); safetensors carries one tensor or
 * tensors named `backbone` / `projector`; JSON is a sketch (see sketch-body.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EmbeddingFormatError,
  openEmbeddingSource,
  readAllRows,
  readSafetensorsHeader,
  type EmbeddingFormat,
} from '@siamwatch/embedding-io';
import type { OutputName } from '@siamwatch/telemetry';
import type { IngestParams } from './ingest-query.ts';
import { IngestError } from './serve-errors.ts';

/** Rows of one output from one body. */
export interface OutputRows {
  output: OutputName;
  rows: Float32Array | Float64Array;
  n: number;
  d: number;
}

/** Name used instead of the temporary file in reader messages. */
export const BODY_NAME = 'request body';
const NPY_MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
const OUTPUTS: readonly OutputName[] = ['backbone', 'projector'];

/** `npy` for the numpy magic or an npy content type, `safetensors` when declared, else `npy` (refused by its magic). */
export function bodyFormatOf(body: Uint8Array, contentType: string | undefined): Exclude<EmbeddingFormat, 'json'> {
  if (body.length >= 6 && NPY_MAGIC.equals(body.subarray(0, 6))) return 'npy';
  return (contentType ?? '').toLowerCase().includes('safetensors') ? 'safetensors' : 'npy';
}

/** Where bodies in flight are written: `/dev/shm` (memory) when it exists, else the OS temp directory. */
function scratchRoot(): string {
  return existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
}

/** A scratch directory for bodies in flight (the readers work on files); removed by `dispose`. */
export class BodyScratch {
  private readonly dir = mkdtempSync(join(scratchRoot(), 'siamwatch-serve-'));

  /** Decodes `body` into rows per output; throws EmbeddingFormatError (renamed to the body) or IngestError. */
  async decode(body: Uint8Array, format: Exclude<EmbeddingFormat, 'json'>, params: IngestParams): Promise<OutputRows[]> {
    const path = join(this.dir, `${randomBytes(8).toString('hex')}.${format}`);
    await writeFile(path, body);
    try {
      return await readOutputs(path, format, params);
    } catch (error) {
      throw renamed(error, path);
    } finally {
      await rm(path, { force: true });
    }
  }

  /** Removes the scratch directory. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function readOutputs(path: string, format: Exclude<EmbeddingFormat, 'json'>, params: IngestParams): Promise<OutputRows[]> {
  if (format === 'npy') {
    if (params.output === undefined) throw new IngestError('bad-query', 'query parameter output is required for an .npy body (backbone or projector)');
    return [await readOne(path, 'npy', params.output, undefined)];
  }
  if (params.output !== undefined) return [await readOne(path, 'safetensors', params.output, params.tensor)];
  const names = (await readSafetensorsHeader(path)).tensors.map((t) => t.name);
  const named = OUTPUTS.filter((o) => names.includes(o));
  if (named.length === 0) {
    throw new IngestError('bad-query', `safetensors body has tensors ${names.map((n) => `'${n}'`).join(', ') || 'none'}: name them backbone/projector or pass output=`);
  }
  return Promise.all(named.map((o) => readOne(path, 'safetensors', o, o)));
}

async function readOne(path: string, format: 'npy' | 'safetensors', output: OutputName, tensor: string | undefined): Promise<OutputRows> {
  const source = await openEmbeddingSource(path, { format, ...(tensor === undefined ? {} : { tensor }) });
  if (source.kind !== 'matrix') throw new IngestError('bad-value', `${BODY_NAME}: expected an embedding matrix`);
  const rows = await readAllRows(source);
  return { output, rows, n: source.n, d: source.d };
}

function renamed(error: unknown, path: string): unknown {
  if (!(error instanceof EmbeddingFormatError)) return error;
  const prefix = `${path}: `;
  const message = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message.split(path).join(BODY_NAME);
  return new EmbeddingFormatError(error.code, BODY_NAME, message);
}
