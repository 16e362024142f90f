/**
 * Chooses the TensorFlow.js backend at run time. `auto` tries, in order, `@tensorflow/tfjs-node-gpu` (CUDA; not a
 * dependency: `npm install @tensorflow/tfjs-node-gpu@4.22.0`), `@tensorflow/tfjs-node`, wasm (SIMD, one thread:
 * threads are hard-coded off under Node, tfjs issue #3830) and the pure-JS cpu backend, and reports why it passed
 * over each. An explicit choice throws `BackendUnavailableError` when it cannot be loaded. Choosing wasm installs
 * the replacement kernels of `register-wasm-kernels.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, UnknownBackendError } from './backend-errors.ts';
import { registerWasmKernels } from './register-wasm-kernels.ts';

/** What the user may ask for (`--backend`). */
export type BackendChoice = 'auto' | 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** One candidate tried while resolving: whether it loaded, and the reason (or what it runs on). */
export interface BackendAttempt {
  backend: string;
  ok: boolean;
  reason: string;
}

/** The backend taken (a `BackendChoice` other than `auto`) and every candidate tried, in order. */
export interface ResolvedBackend {
  backend: string;
  attempts: BackendAttempt[];
}

const CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
const AUTO_ORDER: readonly Exclude<BackendChoice, 'auto'>[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

/** What to do when a native package does not load. */
const NATIVE_HINT: Record<'tensorflow' | 'tensorflow-gpu', string> = {
  tensorflow: 'build it with `npm run native:install`',
  'tensorflow-gpu': 'build it with `npm run native:install -- --gpu` (CUDA machines; untested here)',
};

/** Imports a package by a name TypeScript cannot see (optional, not installed here). */
async function importOptional(name: string): Promise<void> {
  await import(/* @vite-ignore */ name);
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.replace(/ imported from .*$/, '').slice(0, 400);
}

/** Activates one backend; resolves to a description of it or throws with the reason it is unusable. */
async function activate(backend: Exclude<BackendChoice, 'auto'>): Promise<string> {
  switch (backend) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const pkg = backend === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      // TensorFlow's C++ start-up lines (CPU features, oneDNN) go to stderr unless the user asked for them.
      process.env['TF_CPP_MIN_LOG_LEVEL'] ??= '2';
      try {
        await importOptional(pkg);
      } catch (error) {
        throw new Error(`${pkg} does not load (${errorText(error)}); ${NATIVE_HINT[backend]}`);
      }
      if (!(await tf.setBackend('tensorflow'))) {
        throw new Error(`${pkg} loaded but tf.setBackend('tensorflow') returned false`);
      }
      return `${pkg} (libtensorflow, all cores)`;
    }
    case 'wasm': {
      try {
        await import('@tensorflow/tfjs-backend-wasm');
      } catch (error) {
        throw new Error(`@tensorflow/tfjs-backend-wasm does not load (${errorText(error)})`);
      }
      if (!(await tf.setBackend('wasm'))) {
        throw new Error("tf.setBackend('wasm') returned false (the .wasm binaries were not found)");
      }
      registerWasmKernels();
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      return `wasm (SIMD ${simd ? 'on' : 'off'}; threads off under Node, tfjs issue #3830: one core)`;
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) {
        throw new Error("tf.setBackend('cpu') returned false");
      }
      return 'cpu (pure JavaScript, 25-100x slower than wasm for training)';
    }
  }
}

/**
 * Resolves `choice` to an active tfjs backend. `log` receives one line per attempt and a summary line.
 * Throws `UnknownBackendError` for an unknown choice and `BackendUnavailableError` when nothing usable loads.
 */
export async function resolveBackend(
  choice: BackendChoice,
  log: (line: string) => void = () => {
    // silent unless a logger is given
  },
): Promise<ResolvedBackend> {
  if (!CHOICES.includes(choice)) {
    throw new UnknownBackendError(choice);
  }
  const candidates = choice === 'auto' ? AUTO_ORDER : [choice];
  const attempts: BackendAttempt[] = [];
  for (const candidate of candidates) {
    try {
      const reason = await activate(candidate);
      attempts.push({ backend: candidate, ok: true, reason });
      log(`backend: using ${reason}`);
      const passed = attempts.filter((a) => !a.ok);
      if (passed.length > 0) {
        log(`backend: passed over ${passed.map((a) => `${a.backend} (${a.reason})`).join('; ')}`);
      }
      return { backend: candidate, attempts };
    } catch (error) {
      const reason = errorText(error);
      attempts.push({ backend: candidate, ok: false, reason });
      log(`backend: ${candidate} unavailable: ${reason}`);
    }
  }
  const last = attempts[attempts.length - 1]!;
  const what = choice === 'auto' ? attempts.map((a) => a.backend).join(', ') : last.backend;
  throw new BackendUnavailableError(what, attempts.map((a) => `${a.backend}: ${a.reason}`).join('; '));
}
