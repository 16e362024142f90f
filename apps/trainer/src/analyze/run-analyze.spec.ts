import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collapseMetrics } from '@siamwatch/collapse-metrics';
import { EmbeddingFormatError, encodeNpyHeader, writeNpy, writeSafetensors } from '@siamwatch/embedding-io';
import { AnalyzeError } from './analyze-error.ts';
import { parseAnalyzeOptions } from './analyze-options.ts';
import { runAnalyze } from './run-analyze.ts';

interface Captured {
  stdout: string;
  stderr: string;
}

async function analyze(files: string[], raw: Record<string, unknown> = {}): Promise<Captured & { results: Awaited<ReturnType<typeof runAnalyze>> }> {
  const out: Captured = { stdout: '', stderr: '' };
  const io = {
    stdout: { write: (chunk: string) => ((out.stdout += chunk), true) },
    stderr: { isTTY: false, write: (chunk: string) => ((out.stderr += chunk), true) },
  };
  const results = await runAnalyze(files, parseAnalyzeOptions(raw), io);
  return { ...out, results };
}

async function failure(files: string[], raw: Record<string, unknown> = {}): Promise<Error> {
  const error = await analyze(files, raw).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

let state = 7;
const uniform = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
const n = 57;
const d = 9;
const x = Float64Array.from({ length: n * d }, (_, i) => uniform() * (i % d < 3 ? 5 : 0.5) + 1);
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-analyze-'));
  await writeNpy(join(dir, 'x.npy'), x, n, d);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runAnalyze on matrices', () => {
  it.each([1, 4, 13, 57, 1000])('gives the whole-matrix spectrum and metrics with chunks of %i rows', async (chunkRows) => {
    const { results } = await analyze([join(dir, 'x.npy')], { chunkRows: String(chunkRows) });
    const expected = collapseMetrics(x, n, d);
    const [result] = results;
    expect(result?.n).toBe(n);
    for (let k = 0; k < d; k++) expect(result?.singularValues[k]).toBeCloseTo(expected.singularValues[k] ?? NaN, 10);
    expect(result?.auc).toBeCloseTo(expected.auc, 12);
    expect(result?.rankme).toBeCloseTo(expected.rankme, 10);
    expect(result?.normalizedStd).toBeCloseTo(expected.normalizedStd, 12);
  });

  it('--normalize uses the spectrum of L2-normalised rows', async () => {
    const { results } = await analyze([join(dir, 'x.npy')], { normalize: true });
    const expected = collapseMetrics(x, n, d, { normalize: true });
    expect(results[0]?.auc).toBeCloseTo(expected.auc, 12);
    expect(results[0]?.auc).not.toBeCloseTo(collapseMetrics(x, n, d).auc, 4);
    expect(results[0]?.normalized).toBe(true);
  });

  it('prints an aligned table with one row per input', async () => {
    const { stdout, stderr } = await analyze([join(dir, 'x.npy'), join(dir, 'x.npy')]);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^file\s+label\s+n\s+d\s+auc\s+rankme/);
    expect(lines[1]).toMatch(new RegExp(`^\\S+x\\.npy\\s+x\\s+${n}\\s+${d}\\s+0\\.\\d{4}\\s`));
    expect(lines[1]?.length).toBe(lines[0]?.length);
    expect(lines[2]).toBe(lines[1]);
    expect(stderr).toBe('');
  });

  it('notes on stderr that --normalize does not apply to stored spectra', async () => {
    const path = join(dir, 'spectrum.json');
    await writeFile(path, '[4, 2, 1]');
    const { stderr, results } = await analyze([path], { normalize: true, json: true });
    expect(stderr).toContain(`--normalize does not apply to ${path}`);
    expect(results[0]?.normalized).toBe(false);
  });

  it('notes on stderr that --tensor applies to safetensors only', async () => {
    const { stderr, results } = await analyze([join(dir, 'x.npy')], { tensor: 'emb' });
    expect(stderr).toContain(`--tensor applies to .safetensors files only, not to ${join(dir, 'x.npy')}`);
    expect(results[0]?.label).toBe('x');
  });
});

describe('runAnalyze refuses bad input with typed, named errors', () => {
  it('too few rows', async () => {
    await writeNpy(join(dir, 'one.npy'), new Float32Array([1, 2, 3]), 1, 3);
    const error = await failure([join(dir, 'one.npy')]);
    expect(error).toBeInstanceOf(AnalyzeError);
    expect(error.message).toBe(`${join(dir, 'one.npy')}: need at least 2 rows, got 1 (too-few-rows)`);
  });

  it('NaN in a row', async () => {
    const bad = Float32Array.from(x);
    bad[3 * d + 2] = NaN;
    await writeNpy(join(dir, 'nan.npy'), bad, n, d);
    const error = await failure([join(dir, 'nan.npy')], { chunkRows: '2' });
    expect(error).toBeInstanceOf(AnalyzeError);
    expect(error.message).toContain(join(dir, 'nan.npy'));
    expect(error.message).toContain('NaN');
    expect(error.message).toContain('non-finite');
  });

  it('a truncated .npy file', async () => {
    const full = Buffer.concat([Buffer.from(encodeNpyHeader('<f4', 10, 4)), Buffer.alloc(100)]);
    await writeFile(join(dir, 'cut.npy'), full);
    const error = await failure([join(dir, 'cut.npy')]);
    expect(error).toBeInstanceOf(EmbeddingFormatError);
    expect(error.message).toContain('data section has 100 bytes but shape (10, 4) of <f4 needs 160');
  });

  it('an ambiguous .safetensors file, listing its tensors', async () => {
    const data = new Float32Array(8);
    await writeSafetensors(join(dir, 'two.safetensors'), {
      a: { dtype: 'F32', shape: [4, 2], data },
      b: { dtype: 'F32', shape: [2, 4], data },
    });
    const error = await failure([join(dir, 'two.safetensors')]);
    expect(error.message).toContain("'a' F32 [4, 2], 'b' F32 [2, 4]");
    const missing = await failure([join(dir, 'two.safetensors')], { tensor: 'c' });
    expect(missing.message).toContain("no tensor named 'c'");
  });

  it('negative singular values in JSON, an unknown extension and a missing file', async () => {
    await writeFile(join(dir, 'neg.json'), JSON.stringify({ runs: [{ step: 1, singularValues: [3, -1] }] }));
    expect((await failure([join(dir, 'neg.json')])).message).toContain('runs[0].singularValues[1] is -1');
    await writeFile(join(dir, 'emb.csv'), '1,2\n3,4\n');
    expect((await failure([join(dir, 'emb.csv')])).message).toContain("extension '.csv' is not supported");
    expect((await failure([join(dir, 'absent.npy')])).message).toContain('absent.npy: cannot open: no such file');
  });

  it('writes nothing to stdout when a later file fails', async () => {
    const out: Captured = { stdout: '', stderr: '' };
    const io = { stdout: { write: (c: string) => ((out.stdout += c), true) }, stderr: { write: (c: string) => ((out.stderr += c), true) } };
    await expect(runAnalyze([join(dir, 'x.npy'), join(dir, 'absent.npy')], parseAnalyzeOptions({}), io)).rejects.toThrow(EmbeddingFormatError);
    expect(out.stdout).toBe('');
  });
});
