/**
 * Names of the files a trainer drops into `DIR/<run>/` for `siamwatch watch`: the ingest parameters of
 * `POST /v1/runs/{run}/embeddings` as comma-separated `key=value` pairs, then the format's extension, e.g.
 * `step=120,total_steps=300,rank=0,output=backbone,loss=-0.93.npy` or
 * `step=120,total_steps=300,rank=1,world_size=2.safetensors` (tensors `backbone`, `projector`).
 * Write under a temporary name (a leading `.`, or a `.tmp` / `.partial` suffix) and rename: such names, and
 * anything not starting with `step=`, are never read.
 */
import { ingestParamsSchema, parseParams, type IngestParams } from '../serve/ingest-query.ts';

/** A recognised drop file. */
export interface DropFile {
  name: string;
  params: IngestParams;
  /** Content type handed to the decoder (the same as an HTTP post of this format). */
  contentType: string;
}

const TYPES: Record<string, string> = {
  npy: 'application/x-npy',
  safetensors: 'application/x-safetensors',
  json: 'application/json',
};

/** True for names a writer is still working on or that are not drop files (the watcher skips them). */
export function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('.tmp') || name.endsWith('.partial') || !name.startsWith('step=');
}

/** Parses a drop file name; undefined for ignored names; IngestError `bad-query` for a bad parameter. */
export function parseDropFileName(name: string): DropFile | undefined {
  if (isIgnoredName(name)) return undefined;
  const match = /^(.*)\.(npy|safetensors|json)$/.exec(name);
  if (!match) return undefined;
  const [, stem = '', ext = 'npy'] = match;
  const pairs = Object.fromEntries(stem.split(',').map((pair) => {
    const at = pair.indexOf('=');
    return at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
  }));
  return { name, params: parseParams(ingestParamsSchema, pairs, 'file name parameter'), contentType: TYPES[ext] ?? 'application/octet-stream' };
}

/** The name for a drop file with `params` (what a client should write, after a temporary name). */
export function dropFileName(params: Record<string, string | number>, ext: 'npy' | 'safetensors' | 'json'): string {
  return `${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(',')}.${ext}`;
}
