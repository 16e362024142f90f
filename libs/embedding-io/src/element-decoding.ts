/**
 * Element types the readers accept and their decoding from little-endian bytes
 * into the typed arrays the metrics consume: float32 and float64 are viewed
 * as they are; float16 and bfloat16 (safetensors `F16`, `BF16`) are widened to
 * float32 exactly (every half value is representable in float32).
 */

/** Element type of stored embeddings. */
export type StoredDtype = 'float32' | 'float64' | 'float16' | 'bfloat16';

/** Element type of decoded rows: half types decode to float32. */
export type RowDtype = 'float32' | 'float64';

/** A decoded row-major block of rows. */
export type RowMatrix = Float32Array | Float64Array;

/** Bytes per stored element. */
export function bytesPerElement(dtype: StoredDtype): number {
  return dtype === 'float64' ? 8 : dtype === 'float32' ? 4 : 2;
}

/** The dtype rows decode to: float64 stays float64, everything else is float32. */
export function rowDtypeOf(dtype: StoredDtype): RowDtype {
  return dtype === 'float64' ? 'float64' : 'float32';
}

/**
 * Decodes `bytes` (a fresh, aligned buffer holding whole elements) into a typed
 * array. float32/float64 are zero-copy views; half types are widened.
 * Assumes a little-endian host (x86, arm64), like numpy's `<f4` files.
 */
export function decodeElements(bytes: Uint8Array, dtype: StoredDtype): RowMatrix {
  const count = bytes.byteLength / bytesPerElement(dtype);
  if (dtype === 'float32') return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  if (dtype === 'float64') return new Float64Array(bytes.buffer, bytes.byteOffset, count);
  const halves = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  const out = new Float32Array(count);
  if (dtype === 'bfloat16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i += 1) bits[i] = (halves[i] ?? 0) << 16;
    return out;
  }
  for (let i = 0; i < count; i += 1) out[i] = halfToFloat(halves[i] ?? 0);
  return out;
}

/** Converts IEEE 754 binary16 bits to a number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Converts a number to IEEE 754 binary16 bits (round to nearest even); used by tests and writers. */
export function floatToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const abs = Math.abs(value);
  if (abs >= 65520) return sign | 0x7c00;
  if (abs < 2 ** -14) return sign | roundHalfEven(abs / 2 ** -24);
  let exponent = Math.floor(Math.log2(abs));
  if (2 ** exponent > abs) exponent -= 1;
  const mantissa = roundHalfEven((abs / 2 ** exponent - 1) * 1024);
  return mantissa === 1024 ? sign | ((exponent + 16) << 10) : sign | ((exponent + 15) << 10) | mantissa;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
