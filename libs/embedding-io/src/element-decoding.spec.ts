import { describe, expect, it } from 'vitest';
import { bytesPerElement, decodeElements, floatToHalf, halfToFloat, rowDtypeOf } from './element-decoding.ts';

describe('half-precision conversion', () => {
  it('decodes reference binary16 bit patterns', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(Number.isNaN(halfToFloat(0x7e00))).toBe(true);
  });

  it('round-trips every finite half value through floatToHalf', () => {
    const mismatches: number[] = [];
    let checked = 0;
    for (let bits = 0; bits < 0x10000; bits += 1) {
      if (((bits >> 10) & 0x1f) === 0x1f) continue;
      checked += 1;
      if (floatToHalf(halfToFloat(bits)) !== bits) mismatches.push(bits);
    }
    expect(checked).toBe(63488);
    expect(mismatches).toEqual([]);
  });

  it('rounds to nearest even and saturates to infinity', () => {
    expect(floatToHalf(1 + 2 ** -11)).toBe(0x3c00);
    expect(floatToHalf(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(floatToHalf(1e6)).toBe(0x7c00);
    expect(floatToHalf(-1e6)).toBe(0xfc00);
  });
});

describe('decodeElements', () => {
  it('views float32 and float64 without copying', () => {
    const f32 = new Float32Array([1.5, -2]);
    const bytes = new Uint8Array(f32.buffer);
    const decoded = decodeElements(bytes, 'float32');
    expect(decoded.buffer).toBe(f32.buffer);
    expect(Array.from(decoded)).toEqual([1.5, -2]);
    expect(Array.from(decodeElements(new Uint8Array(new Float64Array([0.1]).buffer), 'float64'))).toEqual([0.1]);
  });

  it('widens bfloat16 by shifting the bits into the top half of a float32', () => {
    const bf16 = new Uint16Array([0x3f80, 0xc040, 0x0000]);
    expect(Array.from(decodeElements(new Uint8Array(bf16.buffer), 'bfloat16'))).toEqual([1, -3, 0]);
  });

  it('reports element sizes and decoded dtypes', () => {
    expect(['float64', 'float32', 'float16', 'bfloat16'].map((t) => bytesPerElement(t as 'float32'))).toEqual([8, 4, 2, 2]);
    expect(rowDtypeOf('float16')).toBe('float32');
    expect(rowDtypeOf('float64')).toBe('float64');
  });
});
