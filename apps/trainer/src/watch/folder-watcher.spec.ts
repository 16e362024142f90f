import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gaussianRows, npyBody } from '../serve/serve-test-helpers.ts';
import { parseServeLimits } from '../serve/serve-options.ts';
import { silentLogger } from '@siamwatch/telemetry';
import { dropFileName, isIgnoredName, parseDropFileName } from './drop-file-name.ts';
import { runWatch } from './run-watch.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env['SIAMWATCH_PYTHON'] ?? 'python3';

describe('drop file names', () => {
  it('carry the HTTP ingest parameters; temporary and foreign names are ignored', () => {
    const name = dropFileName({ step: 120, total_steps: 300, rank: 1, output: 'backbone', loss: -0.93 }, 'npy');
    expect(name).toBe('step=120,total_steps=300,rank=1,output=backbone,loss=-0.93.npy');
    expect(parseDropFileName(name)?.params).toMatchObject({ step: 120, total_steps: 300, rank: 1, output: 'backbone', loss: -0.93 });
    for (const ignored of [`.${name}.tmp`, `${name}.partial`, `${name}.tmp`, 'decision.json', 'notes.txt']) expect(isIgnoredName(ignored)).toBe(true);
    expect(() => parseDropFileName('step=x,total_steps=3.npy')).toThrow("file name parameter step: expected an integer >= 0, got 'x'");
  });
});

describe('siamwatch watch', () => {
  it('ingests drop files in step order, skips partial files, refuses bad ones, writes decision.json atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watch-'));
    const run = join(dir, 'collapse');
    mkdirSync(run);
    for (let step = 1; step <= 14; step++) {
      const rows = gaussianRows(64, 16, step, (c) => (step > 5 && c > 0 ? 1e-4 : 1));
      const name = dropFileName({ step: step * 10, total_steps: 200, world_size: 1, output: 'projector', loss: step > 5 ? -0.999 : -0.3 }, 'npy');
      writeFileSync(join(run, name), npyBody(rows, 64, 16));
    }
    writeFileSync(join(run, '.step=150,total_steps=200,output=projector.npy.tmp'), Buffer.from([0x93, 0x4e]));
    writeFileSync(join(run, 'step=160,total_steps=200,output=projector.npy'), Buffer.from('this is not a numpy file'));
    const result = await runWatch({ dir, intervalMs: 50, once: true, limits: parseServeLimits({}), logger: silentLogger });
    expect(result).toEqual({ accepted: 14, rejected: 1 });
    const decision = JSON.parse(readFileSync(join(run, 'decision.json'), 'utf8')) as { decision: string; checks: number; step: number };
    expect(decision).toMatchObject({ decision: 'early-stop', checks: 14 });
    const left = readdirSync(run).sort();
    expect(left).toEqual(['.step=150,total_steps=200,output=projector.npy.tmp', 'decision.json', 'step=160,total_steps=200,output=projector.npy.rejected', 'step=160,total_steps=200,output=projector.npy.rejected.txt']);
    expect(readFileSync(join(run, 'step=160,total_steps=200,output=projector.npy.rejected.txt'), 'utf8')).toMatch(/^EmbeddingFormatError: request body: missing the \\x93NUMPY magic/);
    expect(left.some((f) => f.endsWith('.tmp') && f !== '.step=150,total_steps=200,output=projector.npy.tmp')).toBe(false);
  });

  it('the numpy folder-mode example is stopped by a running `siamwatch watch` once it collapses, and runs to the end when healthy', async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import numpy'], { encoding: 'utf8' });
    if (probe.status !== 0) throw new Error(`${PYTHON} cannot import numpy (run bash .ci/install-python.sh): ${probe.stderr}`);
    const dir = mkdtempSync(join(tmpdir(), 'watch-example-'));
    const abort = new AbortController();
    const watching = runWatch({ dir, intervalMs: 50, once: false, limits: parseServeLimits({}), signal: abort.signal, logger: silentLogger });
    const example = resolve(HERE, '../../../../examples/pytorch/folder_mode.py');
    const py = (args: string[]) =>
      new Promise<string>((ok, fail) => {
        const child = spawn(PYTHON, [example, '--dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`folder_mode.py exited ${code}: ${err}`))));
      });
    try {
      const [collapsed, healthy] = await Promise.all([py(['--run', 'sick', '--collapse-at', '60']), py(['--run', 'well', '--steps', '100'])]);
      expect(JSON.parse(collapsed)).toMatchObject({ status: 'stopped', decision: 'early-stop' });
      expect(JSON.parse(collapsed).steps).toBeLessThan(300);
      expect(JSON.parse(healthy)).toMatchObject({ status: 'completed', steps: 100 });
    } finally {
      abort.abort();
      await watching;
    }
    expect(existsSync(join(dir, 'sick', 'decision.json'))).toBe(true);
  }, 120_000);
});
