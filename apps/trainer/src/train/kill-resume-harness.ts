/**
 * Test harness shared by the kill -9 resume specs (wasm and native): starts `siamwatch train` as a child, SIGKILLs
 * it as soon as its first checkpoint file appears, and compares the final checkpoints of two runs tensor by tensor.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { listCheckpoints, loadCheckpoint } from '../run/checkpoint.ts';

/** Runs `node bin args`, kills it with SIGKILL at its first checkpoint; resolves to the signal and the checkpoint's step. */
export async function killAtFirstCheckpoint(bin: string, args: readonly string[], out: string): Promise<{ signal: NodeJS.Signals | null; step: number }> {
  const child = spawn(process.execPath, [bin, ...args, '--out', out], { stdio: 'ignore' });
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
  await new Promise<void>((done, fail) => {
    const timer = setInterval(() => {
      if (listCheckpoints(join(out, 'checkpoints')).length > 0) {
        clearInterval(timer);
        child.kill('SIGKILL');
        done();
      } else if (child.exitCode !== null) {
        clearInterval(timer);
        fail(new Error('run ended before its first checkpoint'));
      }
    }, 5);
  });
  const signal = await exited;
  return { signal, step: listCheckpoints(join(out, 'checkpoints')).at(-1)?.step ?? -1 };
}

/** The last checkpoint of a run directory. */
export function finalCheckpoint(dir: string): ReturnType<typeof loadCheckpoint> {
  const last = listCheckpoints(join(dir, 'checkpoints')).at(-1);
  if (!last) throw new Error(`no checkpoint in ${dir}`);
  return loadCheckpoint(last.file);
}

/** Largest absolute difference per tensor name between two checkpoints' tensors (NaN when a name is missing). */
export function tensorDifferences(a: ReturnType<typeof loadCheckpoint>, b: ReturnType<typeof loadCheckpoint>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(a.tensors)) {
    const x = a.tensors[name]!.data;
    const y = b.tensors[name]?.data;
    if (y === undefined || y.length !== x.length) {
      out[name] = Number.NaN;
      continue;
    }
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
    out[name] = worst;
  }
  return out;
}
