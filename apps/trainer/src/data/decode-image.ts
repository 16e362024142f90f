/**
 * Decodes one PNG (pngjs) or JPEG (jpeg-js) file to RGBA bytes, by content (magic bytes), with a
 * {@link DatasetError} naming the file for anything unreadable or corrupt. Alpha is composited
 * over black when converting to RGB (transparent digits on a transparent background stay dark).
 */
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { DatasetError } from './dataset-types.ts';

/** A decoded image: `height x width x 4` RGBA bytes. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** File extensions the image-folder loader picks up (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/** Decodes PNG or JPEG bytes; `file` names the source in errors. */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const starts = (magic: number[]): boolean => magic.every((b, i) => bytes[i] === b);
  try {
    if (starts(PNG_MAGIC)) {
      const png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (starts(JPEG_MAGIC)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 512 });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch (error) {
    throw new DatasetError(file, `corrupt or truncated image: ${(error as Error).message}`);
  }
  const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  throw new DatasetError(file, `not a PNG or JPEG (first bytes ${head || 'none: empty file'})`);
}

/** Reads and decodes an image file. */
export async function readImage(file: string): Promise<RgbaImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new DatasetError(file, `cannot read: ${(error as Error).message}`);
  }
  return decodeImage(bytes, file);
}

/** True when every pixel has R = G = B (a grayscale image stored as RGB). */
export function isGray(image: RgbaImage): boolean {
  const { rgba } = image;
  for (let p = 0; p < rgba.length; p += 4) {
    if (rgba[p] !== rgba[p + 1] || rgba[p] !== rgba[p + 2]) return false;
  }
  return true;
}

/** RGB or gray (ITU-R 601 luma) bytes of `image`, alpha composited over black. */
export function toChannels(image: RgbaImage, channels: 1 | 3): Uint8Array {
  const { rgba } = image;
  const n = image.width * image.height;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    const alpha = rgba[4 * p + 3] / 255;
    if (channels === 1) {
      out[p] = Math.round((0.299 * rgba[4 * p] + 0.587 * rgba[4 * p + 1] + 0.114 * rgba[4 * p + 2]) * alpha);
    } else {
      for (let ch = 0; ch < 3; ch++) out[3 * p + ch] = Math.round(rgba[4 * p + ch] * alpha);
    }
  }
  return out;
}
