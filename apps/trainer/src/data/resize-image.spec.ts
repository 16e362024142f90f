import { describe, it, expect } from 'vitest';
import { axisWeights, resizeImageInto, squareResizeWeights } from './resize-image.ts';

function resize(src: number[], h: number, w: number, c: number, size: number, scale = 1): Float32Array {
  const { rows, cols } = squareResizeWeights(h, w, size);
  const out = new Float32Array(size * size * c);
  resizeImageInto(src, 0, w, c, rows, cols, scale, out, 0, new Float32Array(size * w * c));
  return out;
}

describe('resize-image', () => {
  it('halving is exactly 2 x 2 average pooling, with the byte scale applied', () => {
    const src = Array.from({ length: 16 }, (_, i) => i * 10); // 4x4
    const out = resize(src, 4, 4, 1, 2, 0.1);
    expect(Array.from(out)).toEqual([(0 + 10 + 40 + 50) / 40, (20 + 30 + 60 + 70) / 40, (80 + 90 + 120 + 130) / 40, (100 + 110 + 140 + 150) / 40].map((v) => Math.fround(v)));
  });

  it('area weights of a non-integer factor sum to 1 per output pixel', () => {
    const a = axisWeights(28, 10);
    for (let j = 0; j < 10; j++) {
      let s = 0;
      for (let t = 0; t < a.taps; t++) s += a.weight[j * a.taps + t];
      expect(s).toBeCloseTo(1, 6);
    }
  });

  it('keeps a constant image constant when growing (bilinear) and keeps channels apart', () => {
    const src = Array.from({ length: 3 * 3 * 2 }, (_, i) => (i % 2 === 0 ? 0.25 : 0.75));
    const out = resize(src, 3, 3, 2, 7);
    for (let p = 0; p < 49; p++) {
      expect(out[2 * p]).toBeCloseTo(0.25, 6);
      expect(out[2 * p + 1]).toBeCloseTo(0.75, 6);
    }
  });

  it('centre-crops a wide image to a square before resizing', () => {
    // 2 x 4 image: columns 0 and 3 are 1, the centre columns 0
    const src = [1, 0, 0, 1, 1, 0, 0, 1];
    expect(Array.from(resize(src, 2, 4, 1, 2))).toEqual([0, 0, 0, 0]);
  });
});
