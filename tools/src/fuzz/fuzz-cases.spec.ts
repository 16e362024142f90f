import { describe, expect, it } from 'vitest';
import { parseFuzzCases, totalFuzzCases } from './fuzz-cases.ts';

describe('parseFuzzCases', () => {
  it('sums the fuzz-cases lines of vitest output, ignoring everything else', () => {
    const output = [
      'stdout | src/npy-fuzz.spec.ts > fuzzing > parseNpy',
      'fuzz-cases npy-parse 300',
      ' ✓ src/npy-fuzz.spec.ts (3 tests)',
      '\u001b[22m\u001b[39mfuzz-cases idx 300',
      'fuzz-cases npy-parse 5',
      'not fuzz-cases x 7',
    ].join('\n');
    const cases = parseFuzzCases(output);
    expect(Object.fromEntries(cases)).toEqual({ 'npy-parse': 305, idx: 300 });
    expect(totalFuzzCases(cases)).toBe(605);
  });
});
