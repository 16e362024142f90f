import { describe, it, expect } from 'vitest';
import { createMomentAccumulator } from './moment-accumulator.ts';
import { createParallelMomentAccumulator } from './parallel-moment-accumulator.ts';
import { singularValues } from './singular-values.ts';
import { worstSpectrumError } from './testing/jacobi-svd.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

const n = 900;
const d = 21;
// Chunks with different means: the between-chunk term matters.
const x = gaussianMatrix(n, d, 5).map((v, k) => 100 * Math.floor(k / (d * 150)) + v * (1 + (k % d)));
const cuts = [0, 150, 151, 300, 450, 600, 750, 899, n];

describe('ParallelMomentAccumulator', () => {
  it('equals the sync accumulator and the batch spectrum (2 and 3 threads, normalised or not)', async () => {
    for (const [threads, normalize] of [[2, false], [3, true]] as const) {
      const par = createParallelMomentAccumulator({ dim: d, threads, normalize });
      const seq = createMomentAccumulator({ dim: d, normalize });
      for (let k = 1; k < cuts.length; k++) {
        const rows = Float32Array.from(x.subarray(cuts[k - 1] * d, cuts[k] * d));
        await par.add(rows, cuts[k] - cuts[k - 1]);
        seq.add(rows, cuts[k] - cuts[k - 1]);
      }
      expect(par.count).toBe(n);
      const acc = await par.finish();
      expect(acc.count).toBe(n);
      const want = seq.scatter();
      const got = acc.scatter();
      let scale = 0;
      for (const v of want) scale = Math.max(scale, Math.abs(v));
      for (let k = 0; k < want.length; k++) expect(Math.abs(got[k] - want[k])).toBeLessThan(1e-12 * scale);
      const batch = singularValues(Float32Array.from(x), n, d, { normalize });
      expect(worstSpectrumError(acc.singularValues(), batch, 1e-11, 1e-9)).toBeLessThan(1);
    }
  });

  it('rejects bad rows naming the global row, and refuses use after finish', async () => {
    const par = createParallelMomentAccumulator({ dim: 3 });
    await par.add(Float64Array.from([1, 2, 3, 4, 5, 7]), 2);
    await expect(par.add(Float64Array.from([1, Number.NaN, 3]), 1)).rejects.toThrow(/row 2, column 1 is NaN/);
    expect(par.count).toBe(2);
    const acc = await par.finish();
    expect(acc.mean()[2]).toBe(5);
    await expect(par.add(Float64Array.from([1, 2, 3]), 1)).rejects.toThrow(/already finished or closed/);
  });

  it('validates its options and can be closed without a result', async () => {
    expect(() => createParallelMomentAccumulator({ dim: 0 })).toThrow(/dim must be a positive integer, got 0/);
    expect(() => createParallelMomentAccumulator({ dim: 3, threads: 1 })).toThrow(/threads must be an integer >= 2, got 1/);
    const par = createParallelMomentAccumulator({ dim: 2 });
    await par.close();
    await expect(par.finish()).rejects.toThrow(/already finished or closed/);
  });
});
