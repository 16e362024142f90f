/**
 * The compiled WebAssembly SIMD module of the library (the scatter kernel and the tridiagonalisation,
 * AssemblyScript sources in `wasm/`, bytes in the generated `simd-wasm.ts`).
 *
 * The bytes are embedded as base64 in a generated `.ts` file rather than read from a `.wasm` file
 * next to the source: no path resolution (`import.meta.url`, `node:fs`), so it loads the same under
 * tsx, vitest, a bundler or a browser, and the compiled `WebAssembly.Module` is handed to worker
 * threads by `postMessage`. It is compiled synchronously, once, on first use (not on import).
 */
import { SIMD_WASM_BASE64 } from './simd-wasm.ts';

let compiled: WebAssembly.Module | null | undefined;

/** The compiled SIMD module (compiled once, on first call), or `null` if this runtime lacks WebAssembly SIMD. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    const bytes = Uint8Array.from(atob(SIMD_WASM_BASE64), (c) => c.charCodeAt(0));
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  }
  return compiled;
}
