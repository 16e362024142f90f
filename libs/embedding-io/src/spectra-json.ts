/**
 * Reads singular-value spectra from JSON: either a plain array of numbers, an
 * object `{ singularValues: [...] }`, or a document with
 * `runs: [{ <label field>, singularValues: [...] }]` like the spectra the
 * authors of Li, Efros & Pathak (ECCV 2022) published for SimSiam ResNet-18
 * (`{ percentOfImagenet: 1, singularValues: [...] }`).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { describeValue, EmbeddingFormatError } from './embedding-format-error.ts';

/** A labelled spectrum: unsquared singular values, sorted descending, all finite and >= 0. */
export interface Spectrum {
  readonly label: string;
  readonly singularValues: Float64Array;
}

/**
 * Validates parsed JSON `json` (read from `path`, used in messages and as the
 * default label) and returns its spectra. Raises `EmbeddingFormatError`
 * (code `bad-value` or `bad-shape`) naming the JSON path and the bad value,
 * e.g. `runs[2].singularValues[17] is -0.5: singular values must be finite and >= 0`.
 */
export function parseSpectraJson(json: unknown, path: string): Spectrum[] {
  const fallbackLabel = basename(path, extname(path));
  if (Array.isArray(json)) return [{ label: fallbackLabel, singularValues: toSpectrum(json, 'root', path) }];
  if (json === null || typeof json !== 'object') {
    throw new EmbeddingFormatError('bad-shape', path, `top-level value ${describeValue(json)} is not a spectrum: expected an array of numbers or an object with 'runs' or 'singularValues'`);
  }
  const doc = json as Record<string, unknown>;
  if ('singularValues' in doc) {
    return [{ label: labelOf(doc, fallbackLabel), singularValues: toSpectrum(doc.singularValues, 'singularValues', path) }];
  }
  if (!('runs' in doc)) {
    throw new EmbeddingFormatError('bad-shape', path, `object with keys [${Object.keys(doc).join(', ')}] has neither 'runs' nor 'singularValues'`);
  }
  const runs = doc.runs;
  if (!Array.isArray(runs) || runs.length === 0) {
    throw new EmbeddingFormatError('bad-shape', path, `runs ${describeValue(runs)} is not a non-empty array`);
  }
  return runs.map((run: unknown, i) => {
    if (run === null || typeof run !== 'object' || Array.isArray(run)) {
      throw new EmbeddingFormatError('bad-shape', path, `runs[${i}] ${describeValue(run)} is not an object with 'singularValues'`);
    }
    const record = run as Record<string, unknown>;
    if (!('singularValues' in record)) {
      throw new EmbeddingFormatError('bad-shape', path, `runs[${i}] has no 'singularValues' (keys: ${Object.keys(record).join(', ')})`);
    }
    return { label: labelOf(record, `run ${i}`), singularValues: toSpectrum(record.singularValues, `runs[${i}].singularValues`, path) };
  });
}

/** Reads and parses the spectra JSON file at `path` (see {@link parseSpectraJson}). */
export async function readSpectraJson(path: string): Promise<Spectrum[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : '';
    throw new EmbeddingFormatError('unreadable', path, `cannot read: ${code === 'ENOENT' ? 'no such file' : String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EmbeddingFormatError('bad-value', path, `invalid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseSpectraJson(json, path);
}

/** `label`/`name` if a string, else the first scalar field as `key=value`, else `fallback`. */
function labelOf(record: Record<string, unknown>, fallback: string): string {
  for (const key of ['label', 'name']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  for (const [key, value] of Object.entries(record)) {
    if (key === 'singularValues') continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `${key}=${value}`;
  }
  return fallback;
}

function toSpectrum(values: unknown, where: string, path: string): Float64Array {
  if (!Array.isArray(values)) {
    throw new EmbeddingFormatError('bad-shape', path, `${where} ${describeValue(values)} is not an array of numbers`);
  }
  if (values.length === 0) throw new EmbeddingFormatError('bad-shape', path, `${where} is empty`);
  const out = new Float64Array(values.length);
  values.forEach((value: unknown, i) => {
    if (Array.isArray(value)) {
      throw new EmbeddingFormatError('bad-shape', path, `${where}[${i}] is an array ${describeValue(value)}: a spectrum is a 1-D array of singular values`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new EmbeddingFormatError('bad-value', path, `${where}[${i}] is ${describeValue(value)}: singular values must be finite numbers >= 0`);
    }
    out[i] = value;
  });
  return out.sort().reverse();
}
