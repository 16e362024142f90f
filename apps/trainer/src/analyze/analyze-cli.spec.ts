/**
 * End-to-end: runs the real `siamwatch` bin (node + tsx, as `npx siamwatch` does)
 * as a child process and checks its output and exit code.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collapseMetrics } from '@siamwatch/collapse-metrics';
import { writeNpy, writeSafetensors } from '@siamwatch/embedding-io';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const bin = join(repoRoot, 'apps/trainer/bin/siamwatch.js');
const reference = resolve(repoRoot, '../shared/reference/simsiam-resnet18-imagenet-spectra.json');
const example = join(repoRoot, 'examples/simsiam-resnet18-imagenet-spectra.json');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runCli(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** AUC of the cumulative explained variance and RankMe in plain float64 loops (not the library). */
function independentMetrics(values: number[]): { auc: number; rankme: number } {
  const s = [...values].sort((a, b) => b - a);
  let total = 0;
  for (const v of s) total += v;
  let running = 0;
  let cumulativeSum = 0;
  for (const v of s) {
    running += v;
    cumulativeSum += running / total;
  }
  let entropy = 0;
  for (const v of s) {
    const p = v / total + 1e-7;
    entropy -= p * Math.log(p);
  }
  return { auc: cumulativeSum / s.length, rankme: Math.exp(entropy) };
}

type JsonResult = Record<string, unknown> & { auc: number; rankme: number; label: string; n: number | null; d: number };
const parseResults = (stdout: string): JsonResult[] => (JSON.parse(stdout) as { results: JsonResult[] }).results;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'analyze-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('siamwatch analyze (real CLI)', () => {
  it('pins AUC and RankMe of the six authors’ ImageNet spectra to an independent float64 computation', async () => {
    const run = await runCli(['analyze', reference, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const raw = JSON.parse(await readFile(reference, 'utf8')) as { runs: { percentOfImagenet: number; singularValues: number[] }[] };
    const results = parseResults(run.stdout);
    expect(results).toHaveLength(6);
    raw.runs.forEach((spectrum, i) => {
      const expected = independentMetrics(spectrum.singularValues);
      const result = results[i] as JsonResult;
      expect(result.label).toBe(`percentOfImagenet=${spectrum.percentOfImagenet}`);
      expect([result.n, result.d]).toEqual([null, 512]);
      expect(Math.abs(result.auc - expected.auc)).toBeLessThan(1e-9);
      expect(Math.abs(result.rankme - expected.rankme)).toBeLessThan(1e-9);
      for (const key of ['stableRank', 'alpha', 'alphaR2', 'components90', 'components99']) expect(typeof result[key]).toBe('number');
    });
    expect((results[0] as JsonResult).auc).toBeLessThan(0.65);
    expect((results[3] as JsonResult).auc).toBeGreaterThan(0.85);
  });

  it('ships an example identical to the authors’ reference spectra', async () => {
    expect(await readFile(example, 'utf8')).toBe(await readFile(reference, 'utf8'));
    const notice = await readFile(join(repoRoot, 'examples/NOTICE.md'), 'utf8');
    expect(notice).toContain('alexlioralexli/noncontrastive-ssl');
    expect(notice).toContain('MIT, Copyright (c) 2021 Alex Li');
  });

  it('analyses .npy and .safetensors matrices, plain and --normalize, matching collapseMetrics', async () => {
    const n = 40;
    const d = 6;
    let state = 12345;
    const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5;
    const x = Float32Array.from({ length: n * d }, (_, i) => uniform() * (1 + (i % d)) + 0.2);
    await writeNpy(join(dir, 'emb.npy'), x, n, d);
    await writeSafetensors(join(dir, 'emb.safetensors'), { proj: { dtype: 'F32', shape: [n, d], data: x } });
    for (const normalize of [false, true]) {
      const args = ['analyze', join(dir, 'emb.npy'), join(dir, 'emb.safetensors'), '--json', '--chunk-rows', '7'];
      const run = await runCli(normalize ? [...args, '--normalize'] : args);
      expect(run.code).toBe(0);
      const expected = collapseMetrics(x, n, d, { normalize });
      const results = parseResults(run.stdout);
      expect(results.map((r) => [r.label, r.n, r.d, r.format])).toEqual([
        ['emb', n, d, 'npy'],
        ['proj', n, d, 'safetensors'],
      ]);
      for (const result of results) {
        expect(result.auc).toBeCloseTo(expected.auc, 10);
        expect(result.rankme).toBeCloseTo(expected.rankme, 8);
        expect(result.normalizedStd).toBeCloseTo(expected.normalizedStd, 10);
        expect(result.normalized).toBe(normalize);
      }
    }
  });

  it('writes a self-contained HTML plot containing the spectra', async () => {
    const plot = join(dir, 'spectra.html');
    const run = await runCli(['analyze', example, '--plot', plot]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('percentOfImagenet=100');
    const html = await readFile(plot, 'utf8');
    expect(html).toContain('var uPlot=');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/);
    const data = JSON.parse(/<script type="application\/json" id="siamwatch-data">(.*?)<\/script>/s.exec(html)?.[1] ?? '{}');
    expect(data.runs).toHaveLength(6);
    expect(data.runs[0].singularValues[0]).toBe(23.9592686);
  });

  it('prints one clear line and exits 1 for a bad input file', async () => {
    const bad = join(dir, 'ints.npy');
    const header = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }";
    const padded = `${header}${' '.repeat(128 - 10 - header.length - 1)}\n`;
    const bytes = Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]), Buffer.from(padded, 'latin1'), Buffer.alloc(32)]);
    await writeFile(bad, bytes);
    const run = await runCli(['analyze', bad]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`siamwatch: EmbeddingFormatError: ${bad}: descr '<i8' is not supported: use float32 or float64\n`);
  });

  it('prints one clear line and exits 1 for a bad flag value', async () => {
    const run = await runCli(['analyze', example, '--chunk-rows', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe("siamwatch: AnalyzeError: --chunk-rows '0' must be a positive integer\n");
  });
});
