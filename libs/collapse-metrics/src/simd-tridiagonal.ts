/**
 * The WebAssembly SIMD Householder tridiagonalisation (`wasm/tridiagonal-simd.ts`) behind
 * {@link eigenvaluesOfLowerInPlace}: the same algorithm as the TypeScript `tridiagonalize` with the
 * O(d^3) rank-2 updates and symmetric matrix-vector products two entries at a time.
 */
import { simdModule } from './simd-module.ts';
import type { ScatterKernel } from './simd-scatter.ts';
import { SIMD_MAX_DIM } from './simd-scatter.ts';

/**
 * Reduces the symmetric matrix whose lower triangle is in `a` (`d x d`, row-major) to tridiagonal
 * form: diagonal into `diag`, sub-diagonal into `off[1..d)`. May destroy `a`.
 */
export type Tridiagonalize = (a: Float64Array, d: number, diag: Float64Array, off: Float64Array) => void;

/** A {@link Tridiagonalize} running in a fresh instance of the SIMD `module` (matrix copied into its memory). */
export function createSimdTridiagonalize(module: WebAssembly.Module): Tridiagonalize {
  const page = 65536;
  const exports = new WebAssembly.Instance(module, {}).exports as unknown as {
    memory: WebAssembly.Memory;
    tridiagonalize: (a: number, d: number, diag: number, off: number, p: number, q: number) => void;
  };
  return (a, d, diag, off) => {
    const vec = Math.ceil(d / 8) * 64;
    const aOff = page;
    const diagOff = aOff + Math.ceil((d * d) / 8) * 64;
    const offOff = diagOff + vec;
    const pOff = offOff + vec;
    const qOff = pOff + vec;
    const missing = Math.ceil((qOff + vec) / page) - exports.memory.buffer.byteLength / page;
    if (missing > 0) exports.memory.grow(missing);
    const buffer = exports.memory.buffer;
    new Float64Array(buffer, aOff, d * d).set(a);
    new Float64Array(buffer, offOff, d).fill(0);
    exports.tridiagonalize(aOff, d, diagOff, offOff, pOff, qOff);
    diag.set(new Float64Array(buffer, diagOff, d));
    off.set(new Float64Array(buffer, offOff, d));
  };
}

let simdTridiagonalize: Tridiagonalize | undefined;

/**
 * The SIMD tridiagonalisation for `d` under the `kernel` choice of {@link ScatterKernel} (`'auto'`,
 * `'simd'`), or `null` when the TypeScript one should run (`'typescript'`, no WebAssembly SIMD, or
 * `d > SIMD_MAX_DIM`; `'simd'` was already checked by the scatter resolution of the same call).
 */
export function simdTridiagonalizeFor(kernel: ScatterKernel | undefined, d: number): Tridiagonalize | null {
  if (kernel === 'typescript' || d > SIMD_MAX_DIM || d < 3) return null;
  const module = simdModule();
  if (module === null) return null;
  simdTridiagonalize ??= createSimdTridiagonalize(module);
  return simdTridiagonalize;
}
