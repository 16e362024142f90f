/**
 * Deterministic synthetic embeddings for the spectrum benchmark: Gaussian rows with power-law column
 * scales (a partially collapsed spectrum, like trained backbones) and a common mean offset, generated
 * in independent chunks so a large `.npy` file can be written without holding it in memory.
 */
import { open } from 'node:fs/promises';
import { encodeNpyHeader } from '@siamwatch/embedding-io';

/** Seeded uniform generator on [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Rows `[first, first + n)` of the synthetic `? x d` float32 matrix with the given seed: entry
 * `(r, c)` is `0.5 + z * (c + 1)^-0.5` with `z` standard normal. Each block of rows starting at a
 * multiple of `n` is reproducible on its own (the generator is seeded by `seed` and `first`).
 */
export function syntheticRows(first: number, n: number, d: number, seed: number): Float32Array {
  const u = uniform(seed * 1_000_003 + first);
  const scale = new Float64Array(d);
  for (let c = 0; c < d; c++) scale[c] = 1 / Math.sqrt(c + 1);
  const out = new Float32Array(n * d);
  for (let k = 0; k < out.length; k += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const theta = 2 * Math.PI * u();
    out[k] = 0.5 + r * Math.cos(theta) * scale[k % d];
    if (k + 1 < out.length) out[k + 1] = 0.5 + r * Math.sin(theta) * scale[(k + 1) % d];
  }
  return out;
}

/**
 * Writes the synthetic `n x d` float32 matrix to `path` as `.npy` (format 1.0, C order), `chunkRows`
 * rows at a time; returns the bytes written. The rows equal `syntheticRows(start, chunkRows, d, seed)`
 * for every chunk start.
 */
export async function writeSyntheticNpy(path: string, n: number, d: number, seed: number, chunkRows: number): Promise<number> {
  const handle = await open(path, 'w');
  try {
    const header = encodeNpyHeader('<f4', n, d);
    await handle.write(header);
    let bytes = header.length;
    for (let start = 0; start < n; start += chunkRows) {
      const rows = syntheticRows(start, Math.min(chunkRows, n - start), d, seed);
      await handle.write(new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength));
      bytes += rows.byteLength;
    }
    await handle.sync();
    return bytes;
  } finally {
    await handle.close();
  }
}
