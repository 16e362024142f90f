/**
 * Shared harness of the fuzz specs (fast-check) of every reader that takes outside bytes: the
 * number of cases (short in CI, long under `npm run fuzz`), the byte mutations applied to valid
 * files, and the check that a reader either returns or throws one of its typed errors, in bounded
 * time. Test support only: exported as `@siamwatch/embedding-io/testing`, never from the lib index.
 */
import fc from 'fast-check';
import { EmbeddingFormatError } from '../embedding-format-error.ts';
import { openEmbeddingSource, readAllRows, type OpenEmbeddingSourceOptions } from '../embedding-source.ts';

/** The variable `npm run fuzz` sets to the cases per property; unset, specs run {@link DEFAULT_FUZZ_RUNS}. */
export const FUZZ_RUNS_VARIABLE = 'SIAMWATCH_FUZZ_RUNS';
/** Cases per property in the normal test run (CI). */
export const DEFAULT_FUZZ_RUNS = 300;
/** Longest one case may take (one read of one file of at most a few KiB) before it counts as a hang. */
export const CASE_MILLIS = 2000;
/** Largest growth of `process.memoryUsage().arrayBuffers` one case may cause. */
export const CASE_MAX_ALLOCATION_BYTES = 64 * 1024 * 1024;

/** Cases per property: `env[FUZZ_RUNS_VARIABLE]` if a positive integer, else {@link DEFAULT_FUZZ_RUNS}. */
export function fuzzRuns(env: Readonly<Record<string, string | undefined>>): number {
  const raw = Number(env[FUZZ_RUNS_VARIABLE]);
  return Number.isSafeInteger(raw) && raw > 0 ? raw : DEFAULT_FUZZ_RUNS;
}

/** Vitest timeout of one fuzz test: generous per case, so only a real hang trips it. */
export function fuzzTimeoutMillis(runs: number): number {
  return 60_000 + runs * 50;
}

/** An error class a reader is allowed to throw. */
export type ErrorClass = abstract new (...args: never[]) => Error;

/** What one read ended with: a value, or one of the allowed typed errors. */
export type ReadOutcome<T> = { ok: true; value: T } | { ok: false; error: Error };

/**
 * Runs `read` once. Returns its value, or the error if it is an instance of one of `allowed` with a
 * non-empty `name` and message; rethrows anything else (an untyped crash: the property fails). Fails
 * too when the read took more than {@link CASE_MILLIS} or grew `arrayBuffers` by more than
 * {@link CASE_MAX_ALLOCATION_BYTES} (a reader allocating what a header claims instead of what the file holds).
 */
export async function readTyped<T>(read: () => T | Promise<T>, allowed: readonly ErrorClass[]): Promise<ReadOutcome<T>> {
  const before = process.memoryUsage().arrayBuffers;
  const start = performance.now();
  let outcome: ReadOutcome<T>;
  try {
    outcome = { ok: true, value: await read() };
  } catch (error) {
    if (!allowed.some((type) => error instanceof type)) throw error;
    outcome = { ok: false, error: error as Error };
  }
  const millis = performance.now() - start;
  if (millis > CASE_MILLIS) throw new Error(`one read took ${millis.toFixed(0)} ms (limit ${CASE_MILLIS} ms): a hang`);
  const grown = process.memoryUsage().arrayBuffers - before;
  if (grown > CASE_MAX_ALLOCATION_BYTES) throw new Error(`one read allocated ${grown} bytes of array buffers (limit ${CASE_MAX_ALLOCATION_BYTES})`);
  if (!outcome.ok && (outcome.error.name === 'Error' || outcome.error.message === '')) {
    throw new Error(`typed error without a name or message: ${String(outcome.error)}`);
  }
  return outcome;
}

/** One edit of a file's bytes; positions are taken modulo the length (or the focus window). */
export type ByteMutation =
  | { kind: 'set'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'append'; bytes: Uint8Array }
  | { kind: 'splice'; at: number; bytes: Uint8Array };

/** Arbitrary edits: set a byte, cut the file, append bytes, or insert bytes. */
export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }) },
);

/** One to four edits. */
export const byteMutations: fc.Arbitrary<ByteMutation[]> = fc.array(byteMutation, { minLength: 1, maxLength: 4 });

/**
 * Applies `mutations` to a copy of `base`. Positions of `set`/`splice` fall in the first `focus`
 * bytes (e.g. the header, where parsers branch) when `focus` is given, else anywhere.
 */
export function mutateBytes(base: Uint8Array, mutations: readonly ByteMutation[], focus?: number): Uint8Array {
  let bytes = Uint8Array.from(base);
  for (const m of mutations) {
    const window = Math.min(bytes.length, focus ?? bytes.length);
    if (m.kind === 'set') {
      if (window > 0) bytes[m.at % window] = m.value;
    } else if (m.kind === 'truncate') {
      bytes = bytes.slice(0, m.at % (bytes.length + 1));
    } else if (m.kind === 'append') {
      const out = new Uint8Array(bytes.length + m.bytes.length);
      out.set(bytes);
      out.set(m.bytes, bytes.length);
      bytes = out;
    } else {
      const at = m.at % (window + 1);
      const out = new Uint8Array(bytes.length + m.bytes.length);
      out.set(bytes.subarray(0, at));
      out.set(m.bytes, at);
      out.set(bytes.subarray(at), at + m.bytes.length);
      bytes = out;
    }
  }
  return bytes;
}

/** Dimensions a hostile header may claim: small ones, and sizes that must never be allocated. */
export const hostileDimension: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom(1e6, 1e9, 1e12, 2 ** 31, 2 ** 32 - 1, 2 ** 53 - 1) },
);

/** Prints the count a property ran, as `fuzz-cases <name> <runs>` (summed by `npm run fuzz`). */
export function reportCases(name: string, runs: number): void {
  console.log(`fuzz-cases ${name} ${runs}`);
}

/** Checks `predicate` on `runs` values of `arbitrary` (fast-check shrinks a failure), then reports the count. */
export async function assertFuzz<T>(name: string, arbitrary: fc.Arbitrary<T>, predicate: (value: T) => Promise<void>, runs: number): Promise<void> {
  await fc.assert(fc.asyncProperty(arbitrary, predicate), { numRuns: runs });
  reportCases(name, runs);
}

/**
 * Opens the matrix file at `path` (`.npy` or `.safetensors`) and reads every row, through
 * {@link readTyped}: the read must raise `EmbeddingFormatError` or return exactly `n * d` values.
 */
export async function readMatrixTyped(path: string, options: OpenEmbeddingSourceOptions = {}): Promise<void> {
  const outcome = await readTyped(async () => {
    const source = await openEmbeddingSource(path, options);
    if (source.kind !== 'matrix') throw new Error(`${path} opened as spectra, not as a matrix`);
    return { n: source.n, d: source.d, rows: await readAllRows(source) };
  }, [EmbeddingFormatError]);
  if (outcome.ok && outcome.value.rows.length !== outcome.value.n * outcome.value.d) {
    throw new Error(`${path}: ${outcome.value.rows.length} values read for ${outcome.value.n} x ${outcome.value.d}`);
  }
}
