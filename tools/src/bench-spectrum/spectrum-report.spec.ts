import { describe, it, expect } from 'vitest';
import { formatTable, maxRelativeDifference, median, summaryLine } from './spectrum-report.ts';

describe('spectrum benchmark report', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('measures the largest relative difference over the top values only', () => {
    expect(maxRelativeDifference([10, 5, 1], [10, 4, 2], 2)).toBeCloseTo(0.25, 15);
    expect(maxRelativeDifference([10, 5, 1], [10, 4, 2], 3)).toBeCloseTo(0.5, 15);
    expect(maxRelativeDifference([10, 5], [10, 5, 1], 10)).toBe(0);
    expect(() => maxRelativeDifference([], [1], 3)).toThrow(/no singular values/);
  });

  it('ends with the exact summary format', () => {
    expect(summaryLine(10000, 512, 183.456, 70.04)).toBe('spectrum 10000x512: siamwatch 183.5 ms, numpy 70.0 ms, ratio 2.62');
    expect(summaryLine(10000, 512, 183.456, 70.04)).toMatch(/^spectrum \d+x\d+: siamwatch [\d.]+ ms, numpy [\d.]+ ms, ratio [\d.]+$/);
  });

  it('keeps one decimal for the times and two for the ratio, even for sub-millisecond numpy runs', () => {
    expect(summaryLine(3, 2, 0.04, 0.02)).toBe('spectrum 3x2: siamwatch 0.0 ms, numpy 0.0 ms, ratio 2.00');
    expect(summaryLine(100000, 512, 12000, 4000)).toBe('spectrum 100000x512: siamwatch 12000.0 ms, numpy 4000.0 ms, ratio 3.00');
  });

  it('lays out the table with one line per case', () => {
    const table = formatTable(
      [
        { label: 'in memory', siamwatchMs: 200, siamwatchCpuMs: 190, numpyMs: 80, numpyCpuMs: 150, maxRelDiff: 1e-13 },
        { label: 'streamed', siamwatchMs: 2000, siamwatchCpuMs: 1900, numpyMs: 900, numpyCpuMs: 1500, maxRelDiff: 'n/a' },
      ],
      10,
    );
    const lines = table.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/max rel diff top-10/);
    expect(lines[1]).toMatch(/^in memory\s+200\.0\s+190\s+80\.0\s+150\s+2\.50\s+1\.00e-13$/);
    expect(lines[2]).toMatch(/n\/a$/);
  });
});
