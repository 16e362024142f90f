import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { spectrumMetrics } from './spectrum-metrics.ts';

interface ReferenceSpectra {
  dim: number;
  runs: { percentOfImagenet: number; singularValues: number[] }[];
}

// The authors' spectra (Li, Efros & Pathak 2022), used in tests only.
const referencePath = '/work/shared/reference/simsiam-resnet18-imagenet-spectra.json';
const reference = JSON.parse(readFileSync(referencePath, 'utf8')) as ReferenceSpectra;

describe('spectrumMetrics', () => {
  it('reports the healthy extreme for a flat spectrum', () => {
    const m = spectrumMetrics(new Array(512).fill(1));
    expect(m.dim).toBe(512);
    expect(m.auc).toBeCloseTo(513 / 1024, 12);
    expect(m.rankme).toBeGreaterThan(511);
    expect(m.stableRank).toBeCloseTo(512, 9);
    expect(m.alpha).toBe(0);
    expect(m.alphaR2).toBe(1);
    expect(m.components90).toBe(461);
    expect(m.components99).toBe(507);
  });

  it('reports the collapsed extreme for rank one', () => {
    const m = spectrumMetrics(Array.from({ length: 512 }, (_, k) => (k === 0 ? 4 : 0)));
    expect(m.auc).toBe(1);
    expect(m.rankme).toBeLessThan(1.01);
    expect(m.stableRank).toBe(1);
    // A rank cliff is no power law: the fit is poor, which alphaR2 reports.
    expect(m.alphaR2).toBeLessThan(0.2);
    expect(m.components90).toBe(1);
    expect(m.components99).toBe(1);
  });

  it('on the paper authors\' ResNet-18 spectra: AUC rises from 1% to 20% of ImageNet, ranks fall', () => {
    const byPercent = new Map(reference.runs.map((r) => [r.percentOfImagenet, spectrumMetrics(r.singularValues)]));
    const small = byPercent.get(1);
    const large = byPercent.get(20);
    if (small === undefined || large === undefined) throw new Error('reference runs 1% and 20% are missing');
    expect(small.dim).toBe(reference.dim);
    expect(small.auc).toBeGreaterThan(0.55);
    expect(small.auc).toBeLessThan(0.65);
    expect(large.auc).toBeGreaterThan(small.auc + 0.2);
    expect(large.rankme).toBeLessThan(small.rankme / 2);
    expect(large.components90).toBeLessThan(small.components90);
    for (const m of byPercent.values()) {
      expect(m.auc).toBeGreaterThan(0.5);
      expect(m.auc).toBeLessThan(1);
      expect(m.components99).toBeGreaterThanOrEqual(m.components90);
    }
  });

  it('rejects an invalid spectrum with a typed error', () => {
    expect(() => spectrumMetrics([1, Number.NaN])).toThrow(/singular value 1 is NaN/);
  });
});
