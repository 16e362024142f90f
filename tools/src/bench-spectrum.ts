/**
 * `npm run bench:spectrum`: time to the spectrum (singular values of the mean-centred matrix) of a
 * 10000 x 512 float32 matrix in memory and of a 100000 x 512 float32 `.npy` streamed from disk,
 * SiamWatch (`@siamwatch/collapse-metrics`: WebAssembly SIMD kernels, or the pure-TypeScript reference
 * with `--kernel typescript`) against numpy (float64 Gram + eigvalsh
 * on OpenBLAS) on the same data, the agreement of the top singular values, and the eigensolver alone
 * at d = 2048 against exactly known eigenvalues.
 * Ends with exactly one line `spectrum 10000x512: siamwatch <ms> ms, numpy <ms> ms, ratio <r>`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import {
  createMomentAccumulator,
  createParallelMomentAccumulator,
  singularValues,
  singularValuesParallel,
  symmetricEigenvalues,
} from '@siamwatch/collapse-metrics';
import type { ScatterKernel } from '@siamwatch/collapse-metrics';
import { streamNpyRows, writeNpy } from '@siamwatch/embedding-io';
import { matrixWithEigenvalues, powerLawEigenvalues } from './bench-spectrum/known-spectrum-matrix.ts';
import { NumpyReferenceError, runNumpyReference } from './bench-spectrum/numpy-reference.ts';
import { formatTable, maxRelativeDifference, median, summaryLine } from './bench-spectrum/spectrum-report.ts';
import type { BenchRow } from './bench-spectrum/spectrum-report.ts';
import { syntheticRows, writeSyntheticNpy } from './bench-spectrum/synthetic-embeddings.ts';

interface Options {
  rows: number;
  streamRows: number;
  dim: number;
  repeats: number;
  chunkRows: number;
  top: number;
  eigDim: number;
  python: string;
  keep: boolean;
  kernel: ScatterKernel;
}

interface Timed<T> {
  ms: number;
  cpuMs: number;
  value: T;
}

function kernelName(value: string): ScatterKernel {
  if (value !== 'auto' && value !== 'simd' && value !== 'typescript') {
    throw new InvalidArgumentError(`expected auto, simd or typescript, got '${value}'`);
  }
  return value;
}

function positiveInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return v;
}

/** Wall and process CPU time (all threads) of `fn`. */
async function timed<T>(fn: () => T | Promise<T>): Promise<Timed<T>> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const value = await fn();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/** Median wall/CPU over `repeats` runs after one warm-up run; `value` of the last run. */
async function repeated<T>(repeats: number, fn: () => T | Promise<T>): Promise<Timed<T>> {
  await fn();
  const runs: Timed<T>[] = [];
  for (let r = 0; r < repeats; r++) runs.push(await timed(fn));
  return { ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), value: runs[runs.length - 1].value };
}

async function streamedSpectrum(path: string, d: number, chunkRows: number, kernel: ScatterKernel): Promise<Float64Array> {
  const acc = createMomentAccumulator({ dim: d, kernel });
  for await (const chunk of streamNpyRows(path, chunkRows)) acc.add(chunk.rows, chunk.n);
  return acc.singularValues();
}

async function streamedSpectrumParallel(path: string, d: number, chunkRows: number, kernel: ScatterKernel): Promise<Float64Array> {
  const par = createParallelMomentAccumulator({ dim: d, threads: 2, kernel });
  try {
    for await (const chunk of streamNpyRows(path, chunkRows)) await par.add(chunk.rows, chunk.n);
    return (await par.finish()).singularValues();
  } finally {
    await par.close();
  }
}

async function main(opts: Options): Promise<void> {
  const { rows: n, dim: d, streamRows, repeats, chunkRows, top, eigDim, kernel } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'siamwatch-bench-spectrum-'));
  try {
    const matrixPath = join(dir, `matrix-${n}x${d}.npy`);
    const streamPath = join(dir, `stream-${streamRows}x${d}.npy`);
    const x = syntheticRows(0, n, d, 1);
    await writeNpy(matrixPath, x, n, d);
    const bytes = await writeSyntheticNpy(streamPath, streamRows, d, 2, chunkRows);
    console.log(
      `data: ${n}x${d} float32 in memory and ${matrixPath}; ${streamPath} (${(bytes / 2 ** 20).toFixed(0)} MiB, ` +
        `streamed in chunks of ${chunkRows} rows)`,
    );

    console.log(`siamwatch kernel: ${kernel}`);
    const sync = await repeated(repeats, () => singularValues(x, n, d, { kernel }));
    const parallel = await repeated(repeats, () => singularValuesParallel(x, n, d, { threads: 2, kernel }));
    const streamed = await timed(() => streamedSpectrum(streamPath, d, chunkRows, kernel));
    const streamedParallel = await timed(() => streamedSpectrumParallel(streamPath, d, chunkRows, kernel));
    const lambda = powerLawEigenvalues(eigDim, 1000, 1.2);
    const known = matrixWithEigenvalues(lambda, 3);
    const eig = await timed(() => symmetricEigenvalues(known, eigDim, { kernel }));

    const ref = runNumpyReference(matrixPath, streamPath, repeats, chunkRows, eigDim, opts.python);
    const b = ref.blas;
    console.log(
      `numpy ${ref.numpy}, BLAS ${b.name ?? '?'} ${b.version ?? ''} (via ${b.source ?? '?'}${b.threads === null ? '' : `, ${b.threads} threads`}); ` +
        'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for numpy; both sides float64',
    );
    const numpyMs = median(ref.inMemoryMs);
    const numpyCpuMs = median(ref.inMemoryCpuMs);
    const inMemory = (label: string, t: Timed<Float64Array>): BenchRow => ({
      label,
      siamwatchMs: t.ms,
      siamwatchCpuMs: t.cpuMs,
      numpyMs,
      numpyCpuMs,
      maxRelDiff: maxRelativeDifference(t.value, ref.inMemorySingularValues, top),
    });
    const table: BenchRow[] = [
      inMemory(`in memory ${n}x${d}, 1 thread`, sync),
      inMemory(`in memory ${n}x${d}, 2 threads`, parallel),
      {
        label: `streamed .npy ${streamRows}x${d}, 1 thread`,
        siamwatchMs: streamed.ms,
        siamwatchCpuMs: streamed.cpuMs,
        numpyMs: ref.streamedMs,
        numpyCpuMs: ref.streamedCpuMs,
        maxRelDiff: maxRelativeDifference(streamed.value, ref.streamedSingularValues, top),
      },
      {
        label: `streamed .npy ${streamRows}x${d}, 2 threads`,
        siamwatchMs: streamedParallel.ms,
        siamwatchCpuMs: streamedParallel.cpuMs,
        numpyMs: ref.streamedMs,
        numpyCpuMs: ref.streamedCpuMs,
        maxRelDiff: maxRelativeDifference(streamedParallel.value, ref.streamedSingularValues, top),
      },
      {
        label: `eigenvalues only, d = ${eigDim}`,
        siamwatchMs: eig.ms,
        siamwatchCpuMs: eig.cpuMs,
        numpyMs: ref.eigMs,
        numpyCpuMs: ref.eigCpuMs,
        maxRelDiff: `${maxRelativeDifference(eig.value, lambda, top).toExponential(2)} vs exact`,
      },
    ];
    console.log(formatTable(table, top));
    const best = parallel.ms < sync.ms ? parallel : sync;
    console.log(`summary uses the faster siamwatch configuration: ${best === parallel ? '2 threads' : '1 thread'}`);
    console.log(summaryLine(n, d, best.ms, numpyMs));
  } finally {
    if (opts.keep) console.error(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

const program = new Command('bench-spectrum')
  .description('Time the spectrum of embedding matrices: SiamWatch (WebAssembly SIMD / TypeScript) vs numpy (OpenBLAS)')
  .option('--rows <n>', 'rows of the in-memory matrix', positiveInt, 10000)
  .option('--stream-rows <n>', 'rows of the streamed .npy file', positiveInt, 100000)
  .option('--dim <d>', 'embedding dimension', positiveInt, 512)
  .option('--repeats <k>', 'timed repetitions of the in-memory cases (median reported)', positiveInt, 5)
  .option('--chunk-rows <n>', 'rows per streamed chunk', positiveInt, 8192)
  .option('--top <k>', 'top singular values compared', positiveInt, 10)
  .option('--eig-dim <d>', 'dimension of the eigensolver-only case', positiveInt, 2048)
  .option('--python <exe>', 'python interpreter with numpy', 'python3')
  .option('--keep', 'keep the temporary .npy files', false)
  .option('--kernel <name>', "siamwatch kernels: auto, simd or typescript (the reference, for before/after)", kernelName, 'auto');

program.parse();
main(program.opts<Options>()).catch((err: unknown) => {
  if (err instanceof NumpyReferenceError) console.error(`bench-spectrum: refusing to compare: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
