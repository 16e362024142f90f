/**
 * A small seedable, serialisable pseudo-random number generator (sfc32, Chris Doty-Humphrey's
 * "Small Fast Counting" generator, 128-bit state) for everything random on the JS side of
 * training: data splits, batch orders, augmentation parameters, synthetic data.
 *
 * Why not `Math.random` or tf's seeded ops: a resumed run must continue the *identical*
 * stream, so the whole state is exposed by `getState()` and restored by `setState()`.
 */

/** Raised for an invalid seed or state; the message names the bad value. */
export class RngError extends Error {
  override readonly name = 'RngError';
}

/** Seedable PRNG; all draws advance one shared stream. */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n) for an integer 1 <= n <= 2^32. */
  int(n: number): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal N(0, 1) draw (Box-Muller; the spare value is part of the state). */
  normal(): number;
  /** Fills `out` with N(mean, std^2) draws and returns it. */
  fillNormal(out: Float32Array, mean?: number, std?: number): Float32Array;
  /** Fisher-Yates shuffle of `arr` in place; returns `arr`. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T;
  /** The full state: 4 uint32 words, plus the pending Box-Muller spare when there is one. JSON-safe. */
  getState(): number[];
  /** Restores a state from `getState()`; the stream then continues exactly where it was. */
  setState(state: readonly number[]): void;
}

const TWO_POW_32 = 4294967296;

/**
 * Mixes integers into one uint32 seed (murmur3-style finaliser over each key): used to derive
 * independent, reproducible streams, e.g. `createRng(deriveSeed(seed, epoch, chunk))`.
 */
export function deriveSeed(...keys: number[]): number {
  let h = 0x9e3779b9;
  for (const key of keys) {
    if (!Number.isFinite(key)) throw new RngError(`deriveSeed: key ${String(key)} is not a finite number`);
    // Fold the high bits of keys beyond 32 bits in, so that large integers do not collide.
    const lo = key >>> 0;
    const hi = Math.floor(key / TWO_POW_32) >>> 0;
    for (const word of [lo, hi]) {
      let k = Math.imul(word, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      h ^= k;
      h = (h << 13) | (h >>> 19);
      h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Creates an sfc32 generator from an integer seed (any safe integer; the 4 state words are
 * filled by splitmix32 from it and 12 outputs are discarded, as the sfc32 author recommends).
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RngError(`createRng: seed ${String(seed)} is not a safe integer`);
  let x = deriveSeed(seed);
  const splitmix = (): number => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  let spare: number | undefined;

  const nextUint32 = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 12; i++) nextUint32();

  const next = (): number => nextUint32() / TWO_POW_32;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = next();
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };

  const rng: Rng = {
    next,
    int(n: number): number {
      if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RngError(`int: n ${String(n)} must be an integer in [1, 2^32]`);
      // Rejection sampling removes the modulo bias.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let r = nextUint32();
      while (r >= limit) r = nextUint32();
      return r % n;
    },
    uniform(lo: number, hi: number): number {
      return lo + (hi - lo) * next();
    },
    normal,
    fillNormal(out: Float32Array, mean = 0, std = 1): Float32Array {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * normal();
      return out;
    },
    shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = arr[i];
        arr[i] = arr[j];
        arr[j] = tmp;
      }
      return arr;
    },
    getState(): number[] {
      const words = [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
      return spare === undefined ? words : [...words, spare];
    },
    setState(state: readonly number[]): void {
      if (!Array.isArray(state) || (state.length !== 4 && state.length !== 5)) {
        throw new RngError(`setState: state ${JSON.stringify(state)} must be 4 uint32 words plus an optional spare normal`);
      }
      for (let i = 0; i < 4; i++) {
        const w = state[i];
        if (!Number.isInteger(w) || w < 0 || w >= TWO_POW_32) throw new RngError(`setState: word ${i} = ${String(w)} is not a uint32`);
      }
      if (state.length === 5 && !Number.isFinite(state[4])) throw new RngError(`setState: spare ${String(state[4])} is not finite`);
      a = state[0] | 0;
      b = state[1] | 0;
      c = state[2] | 0;
      d = state[3] | 0;
      spare = state.length === 5 ? state[4] : undefined;
    },
  };
  return rng;
}
