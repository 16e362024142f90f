import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { parseSpectraJson, readSpectraJson } from './spectra-json.ts';

const reference = resolve(import.meta.dirname, '../../../../shared/reference/simsiam-resnet18-imagenet-spectra.json');
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spectra-json-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function parseError(json: unknown): EmbeddingFormatError {
  try {
    parseSpectraJson(json, 'in.json');
  } catch (error) {
    expect(error).toBeInstanceOf(EmbeddingFormatError);
    expect((error as Error).message.startsWith('in.json: ')).toBe(true);
    return error as EmbeddingFormatError;
  }
  throw new Error('expected parseSpectraJson to throw');
}

describe('readSpectraJson', () => {
  it('reads the six runs of the authors’ SimSiam ResNet-18 spectra with their labels', async () => {
    const spectra = await readSpectraJson(reference);
    const raw = JSON.parse(await readFile(reference, 'utf8')) as { runs: { percentOfImagenet: number; singularValues: number[] }[] };
    expect(spectra.map((s) => s.label)).toEqual(raw.runs.map((r) => `percentOfImagenet=${r.percentOfImagenet}`));
    spectra.forEach((spectrum, i) => {
      expect(spectrum.singularValues.length).toBe(512);
      expect(Array.from(spectrum.singularValues)).toEqual(raw.runs[i]?.singularValues);
    });
  });

  it('reads a plain array, labelled by the file name, sorted descending', async () => {
    const path = join(dir, 'plain-spectrum.json');
    await writeFile(path, JSON.stringify([1, 3, 0, 2]));
    const [spectrum] = await readSpectraJson(path);
    expect(spectrum?.label).toBe('plain-spectrum');
    expect(Array.from(spectrum?.singularValues ?? [])).toEqual([3, 2, 1, 0]);
  });

  it('reads a single object and prefers label or name fields', () => {
    expect(parseSpectraJson({ label: 'epoch 3', singularValues: [2, 1] }, 'x.json')[0]?.label).toBe('epoch 3');
    const runs = parseSpectraJson({ runs: [{ name: 'byol', step: 4, singularValues: [1] }, { singularValues: [1] }] }, 'x.json');
    expect(runs.map((r) => r.label)).toEqual(['byol', 'run 1']);
  });

  it('rejects invalid JSON and unreadable files, naming the file', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '[1, 2,');
    await expect(readSpectraJson(path)).rejects.toThrow(`${path}: invalid JSON`);
    await expect(readSpectraJson(join(dir, 'missing.json'))).rejects.toThrow('no such file');
  });

  it.each([
    [[1, -0.5], 'bad-value', 'root[1] is -0.5: singular values must be finite numbers >= 0'],
    [[1, null], 'bad-value', 'root[1] is null'],
    [[1, 'NaN'], 'bad-value', "root[1] is 'NaN'"],
    [{ runs: [{ singularValues: [1, 2] }, { singularValues: [3, -1e-3] }] }, 'bad-value', 'runs[1].singularValues[1] is -0.001'],
    [[[1, 2], [3, 4]], 'bad-shape', 'root[0] is an array [1,2]: a spectrum is a 1-D array'],
    [[], 'bad-shape', 'root is empty'],
    [{ runs: [] }, 'bad-shape', 'runs [] is not a non-empty array'],
    [{ runs: [{ values: [1] }] }, 'bad-shape', "runs[0] has no 'singularValues' (keys: values)"],
    [{ runs: [7] }, 'bad-shape', 'runs[0] 7 is not an object'],
    [{ data: [1] }, 'bad-shape', "keys [data] has neither 'runs' nor 'singularValues'"],
    [42, 'bad-shape', 'top-level value 42 is not a spectrum'],
    [{ singularValues: 'abc' }, 'bad-shape', "singularValues 'abc' is not an array of numbers"],
  ])('rejects %j', (json, code, message) => {
    const error = parseError(json);
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
  });

  it('rejects an array nested 200,000 deep with EmbeddingFormatError, not a stack overflow (found by fuzzing)', () => {
    const deep = JSON.parse(`[${'['.repeat(200_000)}${']'.repeat(200_000)}]`) as unknown;
    const error = parseError(deep);
    expect(error.code).toBe('bad-shape');
    expect(error.message).toContain('root[0] is an array [an array nested too deeply to print]');
  });
});
