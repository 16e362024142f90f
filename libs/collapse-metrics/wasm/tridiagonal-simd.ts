/**
 * AssemblyScript source of the WebAssembly SIMD Householder tridiagonalisation: the same algorithm,
 * storage and operation order per entry as `tridiagonalize` in `src/symmetric-eigenvalues.ts` (EISPACK
 * tred1 on the lower triangle, each step's rank-2 update fused with the next step's symmetric
 * matrix-vector product), with the inner loops over `k` two entries at a time in `f64x2`.
 * Only the dot-product sums change order (two lanes), so results agree to rounding.
 *
 * All pointers are byte offsets into the exported memory, laid out by the JavaScript loader.
 */

/** Address of float64 element `k` of the array at `base`. */
function at(base: usize, k: i32): usize {
  return base + ((<usize>k) << 3);
}

/** Row `j` (entries 0..j) of `a` -= `u_j q + q_j u`, with `u` the row at `u`. */
function applyUpdateToRow(a: usize, d: i32, j: i32, u: usize, q: usize): void {
  const rj = at(a, j * d);
  const uj = load<f64>(at(u, j));
  const qj = load<f64>(at(q, j));
  const ujv = f64x2.splat(uj);
  const qjv = f64x2.splat(qj);
  let k = 0;
  for (; k + 1 <= j; k += 2) {
    const upd = f64x2.add(f64x2.mul(ujv, v128.load(at(q, k))), f64x2.mul(qjv, v128.load(at(u, k))));
    v128.store(at(rj, k), f64x2.sub(v128.load(at(rj, k)), upd));
  }
  for (; k <= j; k++) store<f64>(at(rj, k), load<f64>(at(rj, k)) - (uj * load<f64>(at(q, k)) + qj * load<f64>(at(u, k))));
}

/**
 * For each row `j <= l`: applies the pending update (`u'` = row at `up`, `q`; skipped when `up` is 0)
 * to row `j`, then adds its contributions to `p += A u` (`u` = row at `u`), reading each row once.
 */
function updateAndProduct(a: usize, d: i32, l: i32, u: usize, up: usize, q: usize, p: usize): void {
  const fused = up != 0;
  for (let j = 0; j <= l; j++) {
    const rj = at(a, j * d);
    const uj = load<f64>(at(u, j));
    const upj: f64 = fused ? load<f64>(at(up, j)) : 0.0;
    const qj: f64 = fused ? load<f64>(at(q, j)) : 0.0;
    const ujv = f64x2.splat(uj);
    const upjv = f64x2.splat(upj);
    const qjv = f64x2.splat(qj);
    let acc = f64x2.splat(0);
    let k = 0;
    if (fused) {
      for (; k + 1 < j; k += 2) {
        const upd = f64x2.add(f64x2.mul(upjv, v128.load(at(q, k))), f64x2.mul(qjv, v128.load(at(up, k))));
        const v = f64x2.sub(v128.load(at(rj, k)), upd);
        v128.store(at(rj, k), v);
        acc = f64x2.add(acc, f64x2.mul(v, v128.load(at(u, k))));
        v128.store(at(p, k), f64x2.add(v128.load(at(p, k)), f64x2.mul(v, ujv)));
      }
    } else {
      for (; k + 1 < j; k += 2) {
        const v = v128.load(at(rj, k));
        acc = f64x2.add(acc, f64x2.mul(v, v128.load(at(u, k))));
        v128.store(at(p, k), f64x2.add(v128.load(at(p, k)), f64x2.mul(v, ujv)));
      }
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; k <= j; k++) {
      let v = load<f64>(at(rj, k));
      if (fused) {
        v -= upj * load<f64>(at(q, k)) + qj * load<f64>(at(up, k));
        store<f64>(at(rj, k), v);
      }
      if (k < j) {
        s += v * load<f64>(at(u, k));
        store<f64>(at(p, k), load<f64>(at(p, k)) + v * uj);
      } else {
        store<f64>(at(p, j), load<f64>(at(p, j)) + s + v * uj);
      }
    }
  }
}

/**
 * Householder reduction of the lower triangle of the `d x d` row-major matrix at `a` to a
 * tridiagonal matrix: diagonal into `diag`, sub-diagonal into `off[1..d)` (`off[i]` couples `i - 1`
 * and `i`). `p` and `q` are scratch of `d` float64 each. Destroys `a`.
 */
export function tridiagonalize(a: usize, d: i32, diag: usize, off: usize, p0: usize, q0: usize): void {
  let p = p0;
  let q = q0;
  let pending: usize = 0; // address of the pending row u (0: none)
  for (let i = d - 1; i > 0; i--) {
    const l = i - 1;
    const ri = at(a, i * d);
    if (pending != 0) applyUpdateToRow(a, d, i, pending, q);
    let scale: f64 = 0;
    for (let k = 0; k <= l; k++) scale += abs<f64>(load<f64>(at(ri, k)));
    if (l == 0 || scale == 0) {
      store<f64>(at(off, i), load<f64>(at(ri, l)));
      if (pending != 0) for (let j = 0; j <= l; j++) applyUpdateToRow(a, d, j, pending, q);
      pending = 0;
      continue;
    }
    let h: f64 = 0;
    for (let k = 0; k <= l; k++) {
      const v = load<f64>(at(ri, k)) / scale;
      store<f64>(at(ri, k), v);
      h += v * v;
    }
    const f = load<f64>(at(ri, l));
    const g: f64 = f >= 0 ? -sqrt<f64>(h) : sqrt<f64>(h);
    store<f64>(at(off, i), scale * g);
    h -= f * g;
    store<f64>(at(ri, l), f - g);
    memory.fill(p, 0, (<usize>(l + 1)) << 3);
    updateAndProduct(a, d, l, ri, pending, q, p);
    let fsum: f64 = 0;
    for (let j = 0; j <= l; j++) {
      const pj = load<f64>(at(p, j)) / h;
      store<f64>(at(p, j), pj);
      fsum += pj * load<f64>(at(ri, j));
    }
    const hh = fsum / (h + h);
    for (let j = 0; j <= l; j++) store<f64>(at(p, j), load<f64>(at(p, j)) - hh * load<f64>(at(ri, j)));
    const swap = q;
    q = p;
    p = swap;
    pending = ri;
  }
  if (pending != 0) applyUpdateToRow(a, d, 0, pending, q);
  for (let i = 0; i < d; i++) store<f64>(at(diag, i), load<f64>(at(a, i * d + i)));
}
