import { describe, expect, it } from 'vitest';
import { runSoak, slope, soakVerdict } from './memory-soak.ts';

describe('memory soak', () => {
  it('fits the least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    expect(slope([5, 5], [1, 2])).toBe(0);
  });

  it('calls a constant tensor count with a level RSS tail flat, ignoring the warm-up rise', () => {
    const samples = [0, 1, 2, 3, 4, 5].map((i) => ({ step: (i + 1) * 500, tensors: 57, rssMb: i < 2 ? 300 + 50 * i : 400 + (i % 2) * 0.2 }));
    const v = soakVerdict(samples, 2);
    expect(v.flat).toBe(true);
    expect(v.line).toContain('soak verdict: flat; tensors 57 -> 57 (constant)');
  });

  it('calls a leak growing: tensor count rising, or RSS rising 10 MB per 1000 steps', () => {
    const leakTensors = [1, 2, 3, 4].map((i) => ({ step: i * 100, tensors: 57 + i, rssMb: 400 }));
    expect(soakVerdict(leakTensors, 2)).toMatchObject({ flat: false, tensorsFlat: false });
    const leakRss = [1, 2, 3, 4, 5, 6].map((i) => ({ step: i * 1000, tensors: 57, rssMb: 400 + 10 * i }));
    const v = soakVerdict(leakRss, 2);
    expect(v.flat).toBe(false);
    expect(v.rssSlopeMbPer1000).toBeCloseTo(10, 6);
    expect(v.line).toContain('GROWING');
    // GC swings without a trend: the second half stays under the first half's peak, so flat despite a fitted slope.
    const swings = [300, 420, 260, 350, 410, 380].map((rssMb, i) => ({ step: (i + 1) * 500, tensors: 57, rssMb }));
    expect(soakVerdict(swings, 2).flat).toBe(true);
  });

  it('reports a changed tensor count even when RSS is level, and the slope in the line', () => {
    const samples = [1, 2, 3, 4].map((i) => ({ step: i * 250, tensors: i < 4 ? 57 : 58, rssMb: 400 }));
    const v = soakVerdict(samples, 2);
    expect(v).toMatchObject({ flat: false, tensorsFlat: false });
    expect(v.line).toContain('tensors 57 -> 58 (changed)');
    expect(v.line).toContain('0.00 MB per 1000 steps');
  });

  it('runs a short real soak whose tensor count stays constant', async () => {
    const { samples, verdict } = await runSoak({ steps: 12, every: 4, batch: 4, size: 12, width: 0.25, maxSlopeMbPer1000: 1e9 }, () => undefined);
    expect(samples.map((s) => s.step)).toEqual([4, 8, 12]);
    expect(verdict.tensorsFlat).toBe(true);
  }, 60_000);
});
