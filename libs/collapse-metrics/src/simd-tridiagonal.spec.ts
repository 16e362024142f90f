import { describe, it, expect } from 'vitest';
import { scatterMatrix } from './testing/scatter-matrix.ts';
import { symmetricEigenvalues } from './symmetric-eigenvalues.ts';
import { gaussianMatrix, lowRankMatrix, symmetricWithEigenvalues, uniformGenerator } from './testing/random-matrices.ts';

/** Largest `|got_k - want_k| / max|want|` over all eigenvalues. */
function worstError(got: Float64Array, want: Float64Array): number {
  const scale = Math.max(...Array.from(want, Math.abs));
  let worst = 0;
  for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(got[k] - want[k]) / scale);
  return worst;
}

describe('the WebAssembly SIMD tridiagonalisation', () => {
  it('recovers prescribed eigenvalues like the TypeScript path (d across SIMD pair edges)', () => {
    const u = uniformGenerator(11);
    for (const d of [3, 4, 5, 8, 33, 130]) {
      const lambda = Float64Array.from({ length: d }, () => 10 * u() - 2).sort().reverse();
      const a = symmetricWithEigenvalues(lambda, d);
      const simd = symmetricEigenvalues(a, d, { kernel: 'simd' });
      const ts = symmetricEigenvalues(a, d, { kernel: 'typescript' });
      expect(worstError(simd, lambda), `d=${d}`).toBeLessThan(1e-13);
      expect(worstError(simd, ts), `d=${d}`).toBeLessThan(1e-13);
    }
  });

  it('agrees with the TypeScript path on scatter matrices of random, rank-1, rank-d/2 and n < d data', () => {
    const cases = [
      scatterMatrix(gaussianMatrix(300, 50, 1), 300, 50),
      scatterMatrix(lowRankMatrix(200, 40, 1, 2), 200, 40),
      scatterMatrix(lowRankMatrix(200, 64, 32, 3), 200, 64),
      scatterMatrix(gaussianMatrix(20, 90, 4), 20, 90),
    ];
    for (const { s, d } of cases) {
      const simd = symmetricEigenvalues(s, d, { kernel: 'simd' });
      const ts = symmetricEigenvalues(s, d, { kernel: 'typescript' });
      expect(worstError(simd, ts)).toBeLessThan(1e-13);
      for (let k = 0; k < 10; k++) {
        if (ts[k] > 1e-6 * ts[0]) expect(Math.abs(simd[k] - ts[k]) / ts[k]).toBeLessThan(1e-9);
      }
    }
  });

  it('handles a zero matrix and a diagonal one (the scale = 0 branch)', () => {
    const d = 6;
    expect(Array.from(symmetricEigenvalues(new Float64Array(d * d), d, { kernel: 'simd' }))).toEqual(new Array(d).fill(0));
    const diag = new Float64Array(d * d);
    for (let i = 0; i < d; i++) diag[i * d + i] = i + 1;
    expect(Array.from(symmetricEigenvalues(diag, d, { kernel: 'simd' }))).toEqual([6, 5, 4, 3, 2, 1]);
  });
});
