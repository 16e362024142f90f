import { describe, it, expect } from 'vitest';
import { compileKernel, renderGeneratedModule } from '../wasm/build-wasm.ts';
import { SIMD_WASM_BASE64 } from './simd-wasm.ts';

describe('the committed SIMD kernels (simd-wasm.ts)', () => {
  it('is fresh: rebuilding wasm/*-simd.ts with AssemblyScript gives the same bytes', { timeout: 180_000 }, async () => {
    const rebuilt = await compileKernel();
    const committed = Uint8Array.from(atob(SIMD_WASM_BASE64), (c) => c.charCodeAt(0));
    // On failure: `npm run build:wasm -w libs/collapse-metrics` and commit sr./simd-wasm.ts.
    expect(Buffer.from(rebuilt).equals(Buffer.from(committed))).toBe(true);
    expect(WebAssembly.validate(committed)).toBe(true);
  });

  it('renders a module whose base64 decodes back to the bytes', () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, k) => (k * 37) % 256);
    const text = renderGeneratedModule(bytes);
    const base64 = [...text.matchAll(/'([A-Za-z0-9+/=]+)'/g)].map((m) => m[1]).join('');
    expect(Array.from(Buffer.from(base64, 'base64'))).toEqual(Array.from(bytes));
  });
});
