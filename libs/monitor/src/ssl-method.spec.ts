import { describe, expect, it } from 'vitest';
import { cosineGapOf, lossFloorOf, lossScaleOf, resolveMethod } from './ssl-method.ts';

describe('ssl-method', () => {
  it('SimSiam (-cos, floor -1) and BYOL (2 - 2 cos, floor 0) map to the same 1 - cos', () => {
    expect(lossFloorOf('simsiam')).toBe(-1);
    expect(lossFloorOf('byol')).toBe(0);
    expect(lossScaleOf('byol')).toBe(2);
    const cos = 0.8;
    expect(cosineGapOf(-cos, 'simsiam')).toBeCloseTo(0.2, 12);
    expect(cosineGapOf(2 - 2 * cos, 'byol')).toBeCloseTo(0.2, 12);
    expect(cosineGapOf(0, 'byol')).toBe(0);
  });

  it('reads undefined as SimSiam and rejects unknown methods by name', () => {
    expect(resolveMethod(undefined)).toBe('simsiam');
    expect(() => resolveMethod('moco')).toThrow(/method must be one of simsiam, byol, got "moco"/);
  });
});
