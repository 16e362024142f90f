/**
 * `npm run bench:spectrum`: time to the spectrum (singular values of the mean-centred matrix) of a
 * 10000 x 512 float32 matrix in memory and of a 100000 x 512 float32 `.npy` streamed from disk,
 * SiamWatch (`@siamwatch/collapse-metrics`, pure TypeScript) against numpy (Gram + eigvalsh on
 * OpenBLAS) on the same data, plus the agreement of the top singular values.
 * Ends with exactly one line `spectrum 10000x512: siamwatch <ms> ms, numpy <ms> ms, ratio <r>`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createMomentAccumulator, singularValues } from '@siamwatch/collapse-metrics';
import { streamNpyRows, writeNpy } from '@siamwatch/embedding-io';
import { NumpyReferenceError, runNumpyReference } from './bench-spectrum/numpy-reference.ts';
import { formatTable, maxRelativeDifference, median, summaryLine } from './bench-spectrum/spectrum-report.ts';
import { syntheticRows, writeSyntheticNpy } from './bench-spectrum/synthetic-embeddings.ts';

interface Options {
  rows: number;
  streamRows: number;
  dim: number;
  repeats: number;
  chunkRows: number;
  top: number;
  python: string;
  keep: boolean;
}

function positiveInt(value: string): number {
  const v = Number(value);
  if (!Number.isInteger(v) || v <= 0) throw new InvalidArgumentError(`expected a positive integer, got '${value}'`);
  return v;
}

async function timeStreamed(path: string, d: number, chunkRows: number): Promise<{ ms: number; s: Float64Array }> {
  const start = performance.now();
  const acc = createMomentAccumulator({ dim: d });
  for await (const chunk of streamNpyRows(path, chunkRows)) acc.add(chunk.rows, chunk.n);
  const s = acc.singularValues();
  return { ms: performance.now() - start, s };
}

async function main(opts: Options): Promise<void> {
  const { rows: n, dim: d, streamRows, repeats, chunkRows, top } = opts;
  const dir = await mkdtemp(join(tmpdir(), 'siamwatch-bench-spectrum-'));
  try {
    const matrixPath = join(dir, `matrix-${n}x${d}.npy`);
    const streamPath = join(dir, `stream-${streamRows}x${d}.npy`);
    const x = syntheticRows(0, n, d, 1);
    await writeNpy(matrixPath, x, n, d);
    const bytes = await writeSyntheticNpy(streamPath, streamRows, d, 2, chunkRows);
    console.log(`data: ${matrixPath} (${n}x${d} float32), ${streamPath} (${(bytes / 2 ** 20).toFixed(0)} MiB)`);

    singularValues(x, n, d); // warm-up (JIT)
    const inMemoryMs: number[] = [];
    let s: Float64Array = new Float64Array(0);
    for (let r = 0; r < repeats; r++) {
      const start = performance.now();
      s = singularValues(x, n, d);
      inMemoryMs.push(performance.now() - start);
    }
    const streamed = await timeStreamed(streamPath, d, chunkRows);
    console.log(`siamwatch in memory (ms): ${inMemoryMs.map((t) => t.toFixed(0)).join(' ')}`);

    const ref = runNumpyReference(matrixPath, streamPath, repeats, chunkRows, opts.python);
    const b = ref.blas;
    console.log(
      `numpy ${ref.numpy}, BLAS ${b.name ?? '?'} ${b.version ?? ''} (via ${b.source ?? '?'}${b.threads === null ? '' : `, ${b.threads} threads`}); ` +
        'OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for numpy',
    );
    console.log(`numpy in memory (ms): ${ref.inMemoryMs.map((t) => t.toFixed(0)).join(' ')}`);
    const siamwatchMs = median(inMemoryMs);
    const numpyMs = median(ref.inMemoryMs);
    console.log(
      formatTable(
        [
          { label: `in memory ${n}x${d}`, siamwatchMs, numpyMs, maxRelDiff: maxRelativeDifference(s, ref.inMemorySingularValues, top) },
          {
            label: `streamed .npy ${streamRows}x${d} (chunks of ${chunkRows} rows)`,
            siamwatchMs: streamed.ms,
            numpyMs: ref.streamedMs,
            maxRelDiff: maxRelativeDifference(streamed.s, ref.streamedSingularValues, top),
          },
        ],
        top,
      ),
    );
    console.log(summaryLine(n, d, siamwatchMs, numpyMs));
  } finally {
    if (opts.keep) console.error(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

const program = new Command('bench-spectrum')
  .description('Time the spectrum of embedding matrices: SiamWatch (TypeScript) vs numpy (OpenBLAS)')
  .option('--rows <n>', 'rows of the in-memory matrix', positiveInt, 10000)
  .option('--stream-rows <n>', 'rows of the streamed .npy file', positiveInt, 100000)
  .option('--dim <d>', 'embedding dimension', positiveInt, 512)
  .option('--repeats <k>', 'timed repetitions of the in-memory case (median reported)', positiveInt, 5)
  .option('--chunk-rows <n>', 'rows per streamed chunk', positiveInt, 8192)
  .option('--top <k>', 'top singular values compared', positiveInt, 10)
  .option('--python <exe>', 'python interpreter with numpy', 'python3')
  .option('--keep', 'keep the temporary .npy files', false);

program.parse();
main(program.opts<Options>()).catch((err: unknown) => {
  if (err instanceof NumpyReferenceError) console.error(`bench-spectrum: refusing to compare: ${err.message}`);
  else console.error(err);
  process.exitCode = 1;
});
