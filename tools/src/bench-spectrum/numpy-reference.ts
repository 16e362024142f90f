/**
 * The numpy side of the spectrum benchmark: runs `tools/python/bench-spectrum.py` in a python3
 * subprocess (without OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, which slow numpy's OpenBLAS down here),
 * parses its JSON, and refuses to compare against the reference (netlib) BLAS.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What the python script found out about numpy's BLAS. */
export interface BlasInfo {
  /** `threadpoolctl` or `numpy.show_config`. */
  source: string | null;
  /** BLAS implementation name (`openblas`, `scipy-openblas`, `mkl`, `blas`, ...). */
  name: string | null;
  version: string | null;
  threads: number | null;
  /** Shared libraries with "blas"/"mkl" in their path mapped into the python process. */
  libraries: string[];
}

/** Parsed output of the python script. */
export interface NumpyReference {
  numpy: string;
  blas: BlasInfo;
  /** Milliseconds per in-memory spectrum (warm-up excluded), wall and process CPU. */
  inMemoryMs: number[];
  inMemoryCpuMs: number[];
  inMemorySingularValues: number[];
  streamedMs: number;
  streamedCpuMs: number;
  streamedSingularValues: number[];
  /** eigvalsh alone on a random symmetric `eigDim x eigDim` matrix. */
  eigMs: number;
  eigCpuMs: number;
}

/** Error raised when numpy cannot serve as the reference (missing, or on the reference BLAS). */
export class NumpyReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NumpyReferenceError';
  }
}

const OPTIMISED = /openblas|mkl|blis|accelerate|atlas/i;

/**
 * Decides whether numpy's BLAS is an optimised one. Returns `null` when it is, else the reason to
 * refuse, naming what was found and what is missing.
 */
export function blasRefusal(blas: BlasInfo): string | null {
  // Debian's reference BLAS is .../blas/libblas.so.3; OpenBLAS's alternative lives under openblas-*/.
  const referenceLib = blas.libraries.find((lib) => /libblas\.so|refblas|netlib/i.test(lib) && !OPTIMISED.test(lib));
  const optimisedLib = blas.libraries.find((lib) => OPTIMISED.test(lib));
  const nameOk = blas.name !== null && OPTIMISED.test(blas.name);
  if (referenceLib === undefined && (nameOk || optimisedLib !== undefined)) return null;
  const found = `numpy's BLAS is '${blas.name ?? 'unknown'}' (via ${blas.source ?? 'nothing'}; libraries: ${
    blas.libraries.length > 0 ? blas.libraries.join(', ') : 'none found'
  })`;
  return (
    `${found}: that is the reference BLAS (or none could be identified), which would make numpy ~50x slower ` +
    'and the comparison meaningless. Missing: an optimised BLAS for this python3 (numpy wheels from pip bundle ' +
    'OpenBLAS; for Debian python3-numpy install libopenblas0-pthread). This benchmark installs nothing.'
  );
}

/** Environment for the numpy subprocess: the current one without the OpenBLAS tuning overrides. */
export function numpyEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  delete out.OPENBLAS_CORETYPE;
  delete out.OPENBLAS_L2_SIZE;
  return out;
}

/** Path of the python script shipped in the repository. */
export const NUMPY_SCRIPT = fileURLToPath(new URL('../../python/bench-spectrum.py', import.meta.url));

/**
 * Runs the numpy reference on the two `.npy` files; throws {@link NumpyReferenceError} if python3
 * or numpy is missing, the script fails, or numpy uses the reference BLAS.
 */
export function runNumpyReference(
  matrixPath: string,
  streamPath: string,
  repeats: number,
  chunkRows: number,
  eigDim: number,
  python = 'python3',
): NumpyReference {
  const args = [NUMPY_SCRIPT, matrixPath, streamPath, String(repeats), String(chunkRows), String(eigDim)];
  const run = spawnSync(python, args, {
    env: numpyEnvironment(process.env),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error !== undefined) {
    throw new NumpyReferenceError(`cannot run '${python}': ${run.error.message} (missing: a python3 with numpy)`);
  }
  if (run.status !== 0) {
    const missingNumpy = /No module named 'numpy'/.test(run.stderr);
    throw new NumpyReferenceError(
      missingNumpy
        ? `'${python}' has no numpy (missing: numpy with an optimised BLAS); this benchmark installs nothing`
        : `numpy reference failed with exit code ${run.status}: ${run.stderr.trim().slice(-2000)}`,
    );
  }
  const result = JSON.parse(run.stdout) as NumpyReference;
  const refusal = blasRefusal(result.blas);
  if (refusal !== null) throw new NumpyReferenceError(refusal);
  return result;
}
