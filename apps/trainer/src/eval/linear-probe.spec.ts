import { describe, expect, it } from 'vitest';
import { knnAccuracy } from './knn.ts';
import { minimizeLbfgs } from './lbfgs.ts';
import { linearProbeAccuracy, ProbeError, type LabelledFeatures } from './linear-probe.ts';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** n points in d dims, c classes; class k sits at `spread` x a random unit-ish centre plus unit noise. */
function clusters(n: number, d: number, c: number, spread: number, seed: number): LabelledFeatures {
  const rand = mulberry32(seed);
  const centreRand = mulberry32(1234);
  const centres = Array.from({ length: c }, () => Array.from({ length: d }, () => gaussian(centreRand) * spread));
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % c;
    for (let j = 0; j < d; j++) x[i * d + j] = centres[y[i]!]![j]! + gaussian(rand);
  }
  return { x, y, n, d };
}

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimizeLbfgs(
      (p, g) => {
        const [a, b] = [p[0]!, p[1]!];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.from([-1.2, 1]),
      { gradTolerance: 1e-8, maxIterations: 1000 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
  });
});

describe('linearProbeAccuracy', () => {
  it('reaches ~100% on linearly separable clusters', () => {
    const acc = linearProbeAccuracy(clusters(400, 16, 4, 3, 1), clusters(400, 16, 4, 3, 2), { numClasses: 4 });
    expect(acc).toBeGreaterThan(0.98);
  });

  it('stays at chance on pure noise', () => {
    const acc = linearProbeAccuracy(clusters(600, 16, 5, 0, 3), clusters(1000, 16, 5, 0, 4), { numClasses: 5 });
    expect(acc).toBeGreaterThan(0.12);
    expect(acc).toBeLessThan(0.28);
  });

  it('is deterministic', () => {
    const train = clusters(200, 8, 3, 0.6, 5);
    const test = clusters(200, 8, 3, 0.6, 6);
    const a = linearProbeAccuracy(train, test, { numClasses: 3 });
    expect(linearProbeAccuracy(train, test, { numClasses: 3 })).toBe(a);
    expect(a).toBeGreaterThan(0.5);
    expect(a).toBeLessThan(1);
  });

  it('rejects out-of-range labels and mismatched sizes', () => {
    const train = clusters(20, 4, 2, 1, 7);
    expect(() => linearProbeAccuracy(train, train, { numClasses: 1 })).toThrow(ProbeError);
    expect(() => linearProbeAccuracy({ ...train, n: 21 }, train, { numClasses: 2 })).toThrow(/21/);
  });
});

describe('knnAccuracy', () => {
  it('classifies clustered data and is near chance on noise', () => {
    expect(knnAccuracy(clusters(500, 8, 5, 2, 8), clusters(300, 8, 5, 2, 9), { numClasses: 5 })).toBeGreaterThan(0.95);
    const noise = knnAccuracy(clusters(500, 8, 5, 0, 10), clusters(500, 8, 5, 0, 11), { numClasses: 5 });
    expect(noise).toBeGreaterThan(0.1);
    expect(noise).toBeLessThan(0.3);
  });

  it('weights close neighbours more than far ones', () => {
    // One training row of class 1 at the query, 19 of class 0 nearly orthogonal: the weighted vote picks 1.
    const d = 2;
    const n = 20;
    const x = new Float32Array(n * d);
    const y = new Int32Array(n);
    x[0] = 1;
    y[0] = 1;
    for (let i = 1; i < n; i++) {
      x[i * d] = 0.2;
      x[i * d + 1] = 1;
    }
    const test = { x: Float32Array.from([1, 0]), y: Int32Array.from([1]), n: 1, d };
    expect(knnAccuracy({ x, y, n, d }, test, { numClasses: 2, k: 20 })).toBe(1);
    expect(knnAccuracy({ x, y, n, d }, test, { numClasses: 2, k: 20, temperature: 100 })).toBe(0);
  });
});
