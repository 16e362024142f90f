/**
 * AssemblyScript source of the WebAssembly SIMD scatter kernel (compiled by `build-wasm.ts` into
 * `src/simd-wasm.ts`). Same computation as `addCentredScatter` in `src/scatter-kernel.ts`,
 * in float64 with 128-bit `f64x2` arithmetic (WebAssembly has no FMA: a multiply and an add):
 *
 * - blocks of `bStride` rows are centred (and row-scaled) and packed into panels of 4 columns, each
 *   pair of rows as 4 consecutive `f64x2` vectors (`dPad` = `d` rounded up to 4, padding zero);
 * - every 4 x 2 tile of `g += T^T T` with its columns on or right of its panel is a sum over row
 *   pairs: 8 `f64x2` accumulators, 2 + 1 loaded vectors and one product stay in the 15 vector
 *   registers V8 allocates on x64 (3 x 3 tiles over a plain transposed buffer spilled and recomputed
 *   addresses: 6 G multiply-adds/s; this layout reads each panel through one pointer with constant
 *   offsets: ~11 G/s on one core of the benchmark machine).
 *
 * All pointers are byte offsets into the exported memory, laid out by the JavaScript loader.
 * Inputs are assumed finite (the caller validated them).
 */

/** Row element type of {@link scatterRows}: 0 = float32, 1 = float64. */
const KIND_F64: i32 = 1;

/**
 * Adds the centred scatter `sum_r (w_r x_r - mean)(w_r x_r - mean)^T` of the `n` row-major rows at
 * `rows` (`d` columns, float32 or float64 per `kind`) into the upper triangle of the `d x d`
 * float64 matrix at `g` (entries just below the diagonal get their correct values too). `scale` is 0
 * or the address of `n` float64 row factors; `t` is scratch of `dPad * bStride` float64 values
 * (`bStride` even).
 */
export function scatterRows(
  kind: i32,
  rows: usize,
  n: i32,
  d: i32,
  mean: usize,
  scale: usize,
  t: usize,
  bStride: i32,
  g: usize,
): void {
  const dPad = (d + 3) & ~3;
  const rowBytes: usize = (<usize>d) << (kind == KIND_F64 ? 3 : 2);
  for (let r0 = 0; r0 < n; r0 += bStride) {
    const nb = min(bStride, n - r0);
    const nbEven = (nb + 1) & ~1;
    const first = rows + <usize>r0 * rowBytes;
    const firstScale: usize = scale == 0 ? <usize>0 : scale + ((<usize>r0) << 3);
    packBlock(kind, first, nb, d, dPad, mean, firstScale, t, nbEven);
    scatterTiles(t, nbEven, d, dPad, g);
  }
}

/** Element `c` of row `k` of the block at `rows`, as float64. */
function element(kind: i32, rows: usize, d: i32, k: i32, c: i32): f64 {
  const idx = <usize>k * <usize>d + <usize>c;
  return kind == KIND_F64 ? load<f64>(rows + (idx << 3)) : <f64>load<f32>(rows + (idx << 2));
}

/**
 * Centres, scales and packs `nb` rows into panels of 4 columns: panel `p` holds columns `4p..4p+3`
 * for every pair of rows `(2q, 2q+1)` as 4 consecutive `f64x2` vectors (column `4p + r` of the two
 * rows), so a tile reads each panel with one pointer and constant offsets. Columns `d..dPad` and, when
 * `nb` is odd, row `nb` are zero.
 */
function packBlock(
  kind: i32,
  rows: usize,
  nb: i32,
  d: i32,
  dPad: i32,
  mean: usize,
  scale: usize,
  t: usize,
  nbEven: i32,
): void {
  const panelBytes: usize = (<usize>nbEven) << 5;
  for (let k = 0; k < nbEven; k += 2) {
    const odd = k + 1 < nb;
    const w0: f64 = scale == 0 ? 1.0 : load<f64>(scale + ((<usize>k) << 3));
    const w1: f64 = !odd ? 0.0 : scale == 0 ? 1.0 : load<f64>(scale + ((<usize>(k + 1)) << 3));
    let dst = t + ((<usize>k) << 5);
    for (let c = 0; c < dPad; c++) {
      let v0: f64 = 0.0;
      let v1: f64 = 0.0;
      if (c < d) {
        const m = load<f64>(mean + ((<usize>c) << 3));
        v0 = element(kind, rows, d, k, c) * w0 - m;
        if (odd) v1 = element(kind, rows, d, k + 1, c) * w1 - m;
      }
      const at = dst + ((<usize>(c & 3)) << 4);
      store<f64>(at, v0);
      store<f64>(at, v1, 8);
      if ((c & 3) == 3) dst += panelBytes;
    }
  }
}

/** Sum of the two lanes of `v`. */
function lanes(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/**
 * Adds `T T^T` into `g` (`d x d`) for every 4 x 2 tile (rows of panel `pi`, two columns of panel
 * `pj >= pi`) of the packed block `t` (`nbEven` rows, `dPad / 4` panels).
 */
function scatterTiles(t: usize, nbEven: i32, d: i32, dPad: i32, g: usize): void {
  const panelBytes: usize = (<usize>nbEven) << 5;
  const gRow: usize = (<usize>d) << 3;
  const panels = dPad >> 2;
  for (let pi = 0; pi < panels; pi++) {
    const a = t + <usize>pi * panelBytes;
    const i = pi << 2;
    for (let pj = pi; pj < panels; pj++) {
      for (let h = 0; h < 2; h++) {
        const b = t + <usize>pj * panelBytes + ((<usize>h) << 5);
        const j = (pj << 2) + (h << 1);
        if (j >= d) break;
        let s00 = f64x2.splat(0), s01 = f64x2.splat(0);
        let s10 = f64x2.splat(0), s11 = f64x2.splat(0);
        let s20 = f64x2.splat(0), s21 = f64x2.splat(0);
        let s30 = f64x2.splat(0), s31 = f64x2.splat(0);
        for (let k: usize = 0; k < panelBytes; k += 64) {
          const y0 = v128.load(b + k);
          const y1 = v128.load(b + k, 16);
          let x = v128.load(a + k);
          s00 = f64x2.add(s00, f64x2.mul(x, y0));
          s01 = f64x2.add(s01, f64x2.mul(x, y1));
          x = v128.load(a + k, 16);
          s10 = f64x2.add(s10, f64x2.mul(x, y0));
          s11 = f64x2.add(s11, f64x2.mul(x, y1));
          x = v128.load(a + k, 32);
          s20 = f64x2.add(s20, f64x2.mul(x, y0));
          s21 = f64x2.add(s21, f64x2.mul(x, y1));
          x = v128.load(a + k, 48);
          s30 = f64x2.add(s30, f64x2.mul(x, y0));
          s31 = f64x2.add(s31, f64x2.mul(x, y1));
        }
        const o = g + <usize>i * gRow + ((<usize>j) << 3);
        if (i + 3 < d && j + 1 < d) {
          addAt(o, lanes(s00));
          addAt(o + 8, lanes(s01));
          addAt(o + gRow, lanes(s10));
          addAt(o + gRow + 8, lanes(s11));
          addAt(o + 2 * gRow, lanes(s20));
          addAt(o + 2 * gRow + 8, lanes(s21));
          addAt(o + 3 * gRow, lanes(s30));
          addAt(o + 3 * gRow + 8, lanes(s31));
        } else {
          // A tile on the last panel: only rows i.. and columns j.. inside the matrix.
          const two = j + 1 < d;
          addAt(o, lanes(s00));
          if (two) addAt(o + 8, lanes(s01));
          if (i + 1 < d) {
            addAt(o + gRow, lanes(s10));
            if (two) addAt(o + gRow + 8, lanes(s11));
          }
          if (i + 2 < d) {
            addAt(o + 2 * gRow, lanes(s20));
            if (two) addAt(o + 2 * gRow + 8, lanes(s21));
          }
          if (i + 3 < d) {
            addAt(o + 3 * gRow, lanes(s30));
            if (two) addAt(o + 3 * gRow + 8, lanes(s31));
          }
        }
      }
    }
  }
}

/** `g[at] += v` for the float64 at byte offset `at`. */
function addAt(at: usize, v: f64): void {
  store<f64>(at, load<f64>(at) + v);
}

/**
 * The first pass of the scatter: `sum[c] += x_rc * w_r - shift[c]` over the `n` rows at `rows`
 * (`scale` 0 or `n` float64 row factors), in the same order of operations as `columnMeans` in
 * `src/scatter-kernel.ts` (so the sums are bitwise equal). Returns the index of the first row holding
 * a NaN or an infinity (its sums are then incomplete), or -1.
 */
export function columnSums(kind: i32, rows: usize, n: i32, d: i32, scale: usize, shift: usize, sum: usize): i32 {
  for (let r = 0; r < n; r++) {
    const w: f64 = scale == 0 ? 1.0 : load<f64>(scale + ((<usize>r) << 3));
    let probe: f64 = 0;
    for (let c = 0; c < d; c++) {
      const v = element(kind, rows, d, r, c);
      probe += v * 0;
      const at = sum + ((<usize>c) << 3);
      store<f64>(at, load<f64>(at) + (v * w - load<f64>(shift + ((<usize>c) << 3))));
    }
    if (probe != 0) return r;
  }
  return -1;
}
