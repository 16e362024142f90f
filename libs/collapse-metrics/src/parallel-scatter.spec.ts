import { describe, it, expect } from 'vitest';
import { singularValuesParallel } from './parallel-scatter.ts';
import { closeScatterWorkers } from './scatter-worker-pool.ts';
import { singularValues } from './singular-values.ts';
import { worstSpectrumError } from './testing/jacobi-svd.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

describe('singularValuesParallel', () => {
  it('reuses its pooled workers across calls, and starts new ones after closeScatterWorkers()', async () => {
    const n = 300;
    const d = 16;
    const x = gaussianMatrix(n, d, 9);
    const want = singularValues(x, n, d);
    for (let call = 0; call < 3; call++) {
      if (call === 2) await closeScatterWorkers();
      for (const kernel of ['simd', 'typescript'] as const) {
        const got = await singularValuesParallel(x, n, d, { threads: 3, minWork: 0, kernel });
        expect(worstSpectrumError(got, want, 1e-12, 1e-12)).toBeLessThan(1);
      }
    }
    await closeScatterWorkers();
  });

  const n = 1000;
  const d = 24;
  const x = gaussianMatrix(n, d, 3).map((v, k) => 10 + v * (1 + (k % d)));

  it('equals the sync spectrum (2 and 3 threads, float64 and float32, normalised or not) and leaves x untouched', async () => {
    const copy = Float64Array.from(x);
    const cases = [
      { threads: 2, data: x as Float64Array | Float32Array, normalize: false },
      { threads: 2, data: Float32Array.from(x), normalize: true },
      { threads: 3, data: x, normalize: true },
    ];
    for (const { threads, data, normalize } of cases) {
      const got = await singularValuesParallel(data, n, d, { threads, normalize, minWork: 0 });
      const want = singularValues(data, n, d, { normalize });
      expect(worstSpectrumError(got, want, 1e-12, 1e-12)).toBeLessThan(1);
    }
    expect(Array.from(x)).toEqual(Array.from(copy));
  });

  it('handles more threads than row blocks (the last share is a few rows)', async () => {
    const rows = 70;
    const data = x.subarray(0, rows * d);
    const got = await singularValuesParallel(data, rows, d, { threads: 4, minWork: 0 });
    expect(worstSpectrumError(got, singularValues(data, rows, d), 1e-12, 1e-12)).toBeLessThan(1);
  });

  it('runs small inputs synchronously with the same result', async () => {
    const got = await singularValuesParallel(x, n, d);
    expect(Array.from(got)).toEqual(Array.from(singularValues(x, n, d)));
  });

  it('validates before starting workers', async () => {
    const bad = Float64Array.from(x);
    bad[5 * d + 2] = Number.NaN;
    await expect(singularValuesParallel(bad, n, d, { minWork: 0 })).rejects.toThrow(/row 5, column 2 is NaN/);
    await expect(singularValuesParallel(x, n + 1, d)).rejects.toThrow(/not n \* d/);
  });
});
