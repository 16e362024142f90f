/**
 * Runs `tools/python/bench_train_torch.py` with a given interpreter and the benchmark's options, and parses the
 * JSON line it prints (torch version, threads, trainable parameter count, images/s).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './bench-options.ts';

/** What the PyTorch side reports. */
export interface TorchBenchResult {
  torch: string;
  threads: number;
  params: number;
  steps: number;
  secondsPerStep: number;
  imagesPerSecond: number;
  loss: number;
}

/** The PyTorch run failed or printed no result; the message carries its stderr tail. */
export class TorchBenchError extends Error {
  override readonly name = 'TorchBenchError';
}

/** Absolute path of the Python benchmark script. */
export const TORCH_SCRIPT = fileURLToPath(new URL('../../python/bench_train_torch.py', import.meta.url));

/** Command-line arguments of the Python script for `options`. */
export function torchArgs(options: BenchOptions): string[] {
  return [
    TORCH_SCRIPT,
    `--batch=${options.batch}`,
    `--steps=${options.steps}`,
    `--warmup=${options.warmup}`,
    `--size=${options.size}`,
    '--channels=1',
    `--depth=${options.depth}`,
    `--width=${options.width}`,
    `--projector-dim=${options.projectorDim}`,
    `--projector-hidden-dim=${options.projectorHiddenDim}`,
    `--predictor-hidden-dim=${options.predictorHiddenDim}`,
    `--threads=${options.torchThreads}`,
  ];
}

/** Parses the last JSON line of the script's output. */
export function parseTorchOutput(stdout: string): TorchBenchResult {
  const line = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  if (line === undefined) {
    throw new TorchBenchError(`the PyTorch benchmark printed no JSON result: ${JSON.stringify(stdout.slice(-200))}`);
  }
  const parsed = JSON.parse(line) as Partial<TorchBenchResult>;
  if (typeof parsed.imagesPerSecond !== 'number' || typeof parsed.torch !== 'string') {
    throw new TorchBenchError(`the PyTorch benchmark printed an incomplete result: ${line}`);
  }
  return parsed as TorchBenchResult;
}

/** Runs the PyTorch side synchronously (it uses its own threads; nothing else runs meanwhile). */
export function runTorchBench(python: string, options: BenchOptions): TorchBenchResult {
  const run = spawnSync(python, torchArgs(options), { encoding: 'utf8', timeout: 30 * 60_000 });
  if (run.error !== undefined || run.status !== 0) {
    const tail = (run.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    throw new TorchBenchError(`${python} ${TORCH_SCRIPT} failed (${run.error?.message ?? `exit ${run.status}`}): ${tail}`);
  }
  return parseTorchOutput(run.stdout);
}
