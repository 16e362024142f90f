import { describe, it, expect } from 'vitest';
import { inverseRowNorms } from './matrix.ts';
import { columnMeans } from './scatter-kernel.ts';
import { simdModule } from './simd-module.ts';
import { createSimdColumnMeans } from './simd-column-means.ts';
import { gaussianMatrix } from './testing/random-matrices.ts';

const means = createSimdColumnMeans(simdModule() as WebAssembly.Module);

describe('the WebAssembly column means', () => {
  it('are bitwise equal to the TypeScript ones (float32/float64, row scales, chunk edges)', () => {
    for (const [n, d] of [[1, 1], [2, 3], [5, 7], [300, 37], [1100, 1000]] as const) {
      const x = gaussianMatrix(n, d, n + d).map((v, k) => 1e3 + v * (1 + (k % d)));
      for (const data of [x, Float32Array.from(x)]) {
        for (const scale of [null, inverseRowNorms(data, n, d)]) {
          expect(Array.from(means(data, n, d, scale)), `n=${n} d=${d}`).toEqual(Array.from(columnMeans(data, n, d, scale)));
        }
      }
    }
    expect(Array.from(means(new Float64Array(0), 0, 4, null))).toEqual([0, 0, 0, 0]);
  });

  it('gives constant columns exactly their value', () => {
    const x = Float32Array.from({ length: 50 * 3 }, (_, k) => (k % 3 === 1 ? 0.1 : k));
    expect(means(x, 50, 3, null)[1]).toBe(Math.fround(0.1));
  });

  it('throws non-finite naming the row (plus rowOffset) and column, also past the first chunk', () => {
    const d = 1000;
    const n = 1100; // > one 4 MiB chunk of float32 rows (1048 rows)
    const x = new Float32Array(n * d).fill(1);
    x[1070 * d + 17] = Number.NaN;
    expect(() => means(x, n, d, null, 5)).toThrow(expect.objectContaining({ name: 'CollapseMetricsError', code: 'non-finite' }));
    expect(() => means(x, n, d, null, 5)).toThrow('row 1075, column 17 is NaN');
    x[1070 * d + 17] = 1;
    x[3] = -Infinity;
    expect(() => means(x, n, d, null)).toThrow('row 0, column 3 is -Infinity');
  });
});
