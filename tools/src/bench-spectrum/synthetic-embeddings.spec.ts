import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { streamNpyRows } from '@siamwatch/embedding-io';
import { syntheticRows, writeSyntheticNpy } from './synthetic-embeddings.ts';

describe('synthetic embeddings', () => {
  it('are reproducible per block and have the power-law column scales and the 0.5 offset', () => {
    const n = 4000;
    const d = 4;
    const x = syntheticRows(0, n, d, 1);
    expect(Array.from(syntheticRows(0, n, d, 1))).toEqual(Array.from(x));
    expect(Array.from(syntheticRows(0, 3, d, 2))).not.toEqual(Array.from(x.subarray(0, 3 * d)));
    for (let c = 0; c < d; c++) {
      let s = 0;
      let ss = 0;
      for (let r = 0; r < n; r++) {
        s += x[r * d + c];
        ss += x[r * d + c] ** 2;
      }
      const mean = s / n;
      const std = Math.sqrt(ss / n - mean * mean);
      expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
      expect(Math.abs(std * Math.sqrt(c + 1) - 1)).toBeLessThan(0.05);
    }
  });

  it('writes a .npy whose streamed chunks are the generated blocks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'siamwatch-synthetic-'));
    try {
      const path = join(dir, 'x.npy');
      const bytes = await writeSyntheticNpy(path, 25, 3, 7, 10);
      expect(bytes).toBe(128 + 25 * 3 * 4);
      const offsets: number[] = [];
      for await (const chunk of streamNpyRows(path, 10)) {
        offsets.push(chunk.offset);
        expect(Array.from(chunk.rows)).toEqual(Array.from(syntheticRows(chunk.offset, chunk.n, 3, 7)));
      }
      expect(offsets).toEqual([0, 10, 20]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
