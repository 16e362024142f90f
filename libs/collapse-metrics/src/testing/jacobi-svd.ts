/**
 * Brute-force reference for the tests: singular values by one-sided (Hestenes) Jacobi rotations in
 * float64, which is accurate to high relative precision even for badly scaled columns. Slow
 * (O(sweeps n d^2)); only for small matrices.
 */

/** Subtracts the column means of a row-major `n x d` matrix (float64 copy, two passes). */
export function centredCopy(x: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = Float64Array.from(x);
  for (let c = 0; c < d; c++) {
    let s = 0;
    for (let r = 0; r < n; r++) s += out[r * d + c];
    const m = s / n;
    for (let r = 0; r < n; r++) out[r * d + c] -= m;
  }
  return out;
}

/** Singular values (descending) of the row-major `n x d` matrix `x`, one-sided Jacobi, float64. */
export function jacobiSingularValues(x: ArrayLike<number>, n: number, d: number): Float64Array {
  // Column-major copy: column j is cols[j * n .. j * n + n).
  const cols = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) cols[c * n + r] = x[r * d + c];
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let i = 0; i < d - 1; i++) {
      for (let j = i + 1; j < d; j++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let r = 0; r < n; r++) {
          const a = cols[i * n + r];
          const b = cols[j * n + r];
          alpha += a * a;
          beta += b * b;
          gamma += a * b;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const cs = 1 / Math.sqrt(1 + t * t);
        const sn = cs * t;
        for (let r = 0; r < n; r++) {
          const a = cols[i * n + r];
          const b = cols[j * n + r];
          cols[i * n + r] = cs * a - sn * b;
          cols[j * n + r] = sn * a + cs * b;
        }
      }
    }
    if (!rotated) break;
  }
  const s = new Float64Array(d);
  for (let c = 0; c < d; c++) {
    let ss = 0;
    for (let r = 0; r < n; r++) ss += cols[c * n + r] ** 2;
    s[c] = Math.sqrt(ss);
  }
  s.sort();
  s.reverse();
  return s;
}

/**
 * Largest violation of `|s_k - ref_k| <= rel * ref_k + abs * ref_1`, as a multiple of the bound
 * (<= 1 means every value is within tolerance).
 */
export function worstSpectrumError(s: ArrayLike<number>, ref: ArrayLike<number>, rel: number, abs: number): number {
  let worst = 0;
  for (let k = 0; k < ref.length; k++) {
    const bound = rel * ref[k] + abs * ref[0];
    worst = Math.max(worst, Math.abs(s[k] - ref[k]) / bound);
  }
  return worst;
}
