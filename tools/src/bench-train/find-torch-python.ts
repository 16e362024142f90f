/**
 * Finds a Python interpreter with PyTorch for the benchmark's reference side, without installing anything:
 * `SIAMWATCH_TORCH_PYTHON` (a venv directory or an interpreter), then `python3` on PATH, then `/usr/bin/python3`
 * (Debian's python3-torch). Reports every candidate tried and, when none works, how to get one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** An interpreter that imports torch, and the torch version it has. */
export interface TorchPython {
  python: string;
  torchVersion: string;
}

/** Result of the search: the interpreter found (or null) and one line per candidate tried. */
export interface TorchSearch {
  found: TorchPython | null;
  tried: string[];
}

/** How to get a torch for the comparison on this kind of machine. */
export const TORCH_HELP = [
  'no Python with torch found; to compare against PyTorch, either',
  '  python3 -m venv --system-site-packages .venv-torch && .venv-torch/bin/pip install --no-deps torch',
  "  (finds a torch 2.x CPU wheel in this machine's pip find-links; if pip picks a CUDA build that fails with",
  "  'libcudnn.so.9' missing, add --no-index --find-links <that folder>, e.g. /opt/wheels) and set",
  '  SIAMWATCH_TORCH_PYTHON=.venv-torch, or',
  "  apt-get install python3-torch  (Debian's torch 1.13, used through /usr/bin/python3)",
].join('\n');

/** The interpreter path for a `SIAMWATCH_TORCH_PYTHON` value: a venv directory or an interpreter itself. */
export function interpreterOf(value: string): string {
  if (existsSync(value) && statSync(value).isDirectory()) {
    return join(value, 'bin', 'python');
  }
  return value;
}

/** Tries `python -c 'import torch'`; the torch version or null with the reason. */
export function probeTorch(python: string): { version: string | null; reason: string } {
  const run = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (run.error !== undefined) {
    return { version: null, reason: run.error.message };
  }
  if (run.status !== 0) {
    const last = run.stderr.trim().split('\n').at(-1) ?? `exit ${run.status}`;
    return { version: null, reason: last };
  }
  return { version: run.stdout.trim(), reason: 'ok' };
}

/** Walks the candidates in order and returns the first interpreter that imports torch. */
export function findTorchPython(env: NodeJS.ProcessEnv = process.env): TorchSearch {
  const candidates: string[] = [];
  const fromEnv = env['SIAMWATCH_TORCH_PYTHON'];
  if (fromEnv !== undefined && fromEnv !== '') {
    candidates.push(interpreterOf(fromEnv));
  }
  candidates.push('python3', '/usr/bin/python3');
  const tried: string[] = [];
  for (const python of candidates) {
    const { version, reason } = probeTorch(python);
    tried.push(`${python}: ${version === null ? reason : `torch ${version}`}`);
    if (version !== null) {
      return { found: { python, torchVersion: version }, tried };
    }
  }
  return { found: null, tried };
}
