import { describe, it, expect } from 'vitest';
import { createRng, deriveSeed, RngError } from './rng.ts';

describe('createRng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 20 }, () => a.next());
    const sb = Array.from({ length: 20 }, () => b.next());
    const sc = Array.from({ length: 20 }, () => c.next());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const v of sa) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  it('continues the identical stream after a JSON round trip of its state (with a pending spare normal)', () => {
    const rng = createRng(7);
    for (let i = 0; i < 101; i++) rng.next();
    rng.normal(); // leaves a spare normal pending
    const saved = JSON.parse(JSON.stringify(rng.getState())) as number[];
    expect(saved).toHaveLength(5);
    const expected = [rng.normal(), rng.next(), rng.int(1000), rng.normal(), rng.normal()];
    const resumed = createRng(999);
    resumed.setState(saved);
    expect([resumed.normal(), resumed.next(), resumed.int(1000), resumed.normal(), resumed.normal()]).toEqual(expected);
  });

  it('has uniform moments close to 1/2 and 1/12, int in range and unbiased, normal with mean 0 and variance 1', () => {
    const rng = createRng(1);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const v = rng.next();
      s += v;
      s2 += v * v;
    }
    expect(s / n).toBeCloseTo(0.5, 2);
    expect(s2 / n - (s / n) ** 2).toBeCloseTo(1 / 12, 2);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.int(7)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    const z = rng.fillNormal(new Float32Array(n));
    const mean = z.reduce((p, v) => p + v, 0) / n;
    const variance = z.reduce((p, v) => p + (v - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });

  it('shuffles into a permutation, reproducibly', () => {
    const p1 = createRng(5).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    const p2 = createRng(5).shuffle(Int32Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p1)).toEqual(Array.from(p2));
    expect(Array.from(p1).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p1)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('rejects bad seeds, bad int ranges and bad states with RngError naming the value', () => {
    expect(() => createRng(1.5)).toThrow(RngError);
    expect(() => createRng(Number.NaN)).toThrow(/NaN/);
    const rng = createRng(0);
    expect(() => rng.int(0)).toThrow(/n 0/);
    expect(() => rng.setState([1, 2, 3])).toThrow(RngError);
    expect(() => rng.setState([1, 2, 3, -4])).toThrow(/-4/);
  });
});

describe('deriveSeed', () => {
  it('gives distinct uint32 seeds for distinct key tuples, including keys above 2^32', () => {
    const seeds = new Set<number>();
    for (let a = 0; a < 30; a++) for (let b = 0; b < 30; b++) seeds.add(deriveSeed(a, b));
    expect(seeds.size).toBe(900);
    expect(deriveSeed(1, 2)).not.toBe(deriveSeed(2, 1));
    expect(deriveSeed(2 ** 32)).not.toBe(deriveSeed(0));
    expect(deriveSeed(3, 4)).toBe(deriveSeed(3, 4));
    expect(Number.isInteger(deriveSeed(9))).toBe(true);
  });
});
