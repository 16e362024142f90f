import { describe, expect, it } from 'vitest';
import { spectrumAuc } from './explained-variance.ts';
import { aucFloor, rescaledAuc } from './rescaled-auc.ts';

describe('aucFloor', () => {
  it('is the AUC of a flat spectrum of width d', () => {
    for (const d of [2, 16, 64, 512]) expect(aucFloor(d)).toBeCloseTo(spectrumAuc(new Array(d).fill(1)), 12);
    expect(aucFloor(16)).toBeCloseTo(0.53125, 12);
    expect(aucFloor(64)).toBeCloseTo(0.5078125, 12);
  });

  it('rejects a width that is not a positive integer, naming it', () => {
    expect(() => aucFloor(0)).toThrow(/positive integer, got 0/);
    expect(() => aucFloor(2.5)).toThrow(/got 2.5/);
  });
});

describe('rescaledAuc', () => {
  it('maps a flat spectrum to 0 and rank one to 1 at every width', () => {
    for (const d of [2, 16, 64]) {
      expect(rescaledAuc(spectrumAuc(new Array(d).fill(3)), d)).toBeCloseTo(0, 12);
      expect(rescaledAuc(spectrumAuc([1, ...new Array(d - 1).fill(0)]), d)).toBe(1);
    }
    expect(rescaledAuc(1, 1)).toBe(1);
  });

  it('puts the paper-scale examples on one scale: 0.76 at d = 64 is about 0.51', () => {
    expect(rescaledAuc(0.76, 64)).toBeCloseTo((0.76 - 0.5078125) / 0.4921875, 12);
    expect(rescaledAuc(0.76, 64)).toBeGreaterThan(0.5);
    expect(rescaledAuc(0.76, 64)).toBeLessThan(0.52);
    // the same raw AUC means more collapse at a larger width
    expect(rescaledAuc(0.7, 512)).toBeGreaterThan(rescaledAuc(0.7, 16));
  });

  it('rejects an AUC outside [0, 1] or not finite, naming it', () => {
    expect(() => rescaledAuc(1.2, 16)).toThrow(/in \[0, 1\], got 1.2/);
    expect(() => rescaledAuc(Number.NaN, 16)).toThrow(/got NaN/);
  });
});
