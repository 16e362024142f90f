import { describe, expect, it } from 'vitest';
import { inOnBlock } from './captured-extensions.ts';

describe('inOnBlock', () => {
  it('keeps the warm-up block off, then alternates off and on blocks', () => {
    const pattern = Array.from({ length: 12 }, (_, i) => inOnBlock(i + 1, 3));
    expect(pattern).toEqual([false, false, false, true, true, true, false, false, false, true, true, true]);
  });
});
