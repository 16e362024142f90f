import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The PyTorch example (examples/pytorch/simsiam_train.py) against a real `siamwatch serve` process, with real
 * Python, numpy and PyTorch (CPU; .ci/install-python.sh installs them). Without stop-gradient SimSiam collapses
 * and the monitor must stop the run; with it the run must reach its last step with no collapse decision.
 * Python is $SIAMWATCH_PYTHON or python3; a missing torch fails this test (under CI and locally alike).
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const BIN = resolve(HERE, '../../bin/siamwatch.js');
const EXAMPLE = resolve(HERE, '../../../../examples/pytorch/simsiam_train.py');
const PYTHON = process.env['SIAMWATCH_PYTHON'] ?? 'python3';

type Outcome = { status: string; steps: number; totalSteps: number; decisions: { step: number; decision: string }[] };

function run(cmd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('examples/pytorch against siamwatch serve (real PyTorch)', () => {
  let server: ChildProcess;
  let url = '';
  let tokenFile = '';

  beforeAll(async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status !== 0) {
      throw new Error(`${PYTHON} cannot import torch and numpy (run bash .ci/install-python.sh, or set SIAMWATCH_PYTHON): ${probe.stderr || probe.error?.message}`);
    }
    tokenFile = join(mkdtempSync(join(tmpdir(), 'serve-pytorch-')), 'token');
    writeFileSync(tokenFile, 'pytorch-example-token-0123456789\n');
    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((ok, fail) => {
      let out = '';
      server.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) ok(m[1]);
      });
      server.on('exit', (code) => fail(new Error(`siamwatch serve exited with ${code}`)));
    });
  }, 60_000);

  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('stops SimSiam without stop-gradient and leaves it alone with stop-gradient', async () => {
    const common = ['--url', url, '--token-file', tokenFile, '--steps', '300', '--report-every', '10'];
    const [collapsing, healthy] = await Promise.all([
      run(PYTHON, [EXAMPLE, ...common, '--run', 'no-stop-grad', '--no-stop-gradient']),
      run(PYTHON, [EXAMPLE, ...common, '--run', 'stop-grad']),
    ]);
    expect(collapsing.code, collapsing.stderr).toBe(0);
    expect(healthy.code, healthy.stderr).toBe(0);
    const stopped = JSON.parse(collapsing.stdout.trim().split('\n').at(-1) ?? '{}') as Outcome;
    const completed = JSON.parse(healthy.stdout.trim().split('\n').at(-1) ?? '{}') as Outcome;

    expect(stopped.status).toBe('stopped');
    expect(stopped.steps).toBeLessThan(300);
    expect(stopped.decisions.at(-1)?.decision).toBe('early-stop');
    expect(completed).toMatchObject({ status: 'completed', steps: 300, decisions: [] });

    const server1 = (await (await fetch(`${url}/v1/runs/no-stop-grad/decision`)).json()) as { decision: string; onsetState: string };
    expect(server1).toMatchObject({ decision: 'early-stop', onsetState: 'collapsing' });
    const server2 = (await (await fetch(`${url}/v1/runs/stop-grad/decision`)).json()) as { decisions: { step: number; decision: string }[]; checks: number };
    expect(server2.checks).toBe(30);
    expect(server2.decisions.filter((d) => d.step < 300)).toEqual([]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/siamwatch_collapse_spectrum_auc_ratio\{run_id="no-stop-grad",run="no-stop-grad",output="projector"\}/);
  }, 280_000);
});
