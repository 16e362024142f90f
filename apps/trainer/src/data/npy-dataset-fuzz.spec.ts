/**
 * Fuzzing (fast-check) of the `.npy` dataset loader end to end (`loadDataset({ name: 'npy' })`:
 * file read, embedding-io's `.npy` reader, image and label checks): mutated valid image/label files
 * and random bytes must give a dataset or a `DatasetError`, in bounded time and memory.
 * `SIAMWATCH_FUZZ_RUNS` sets the cases (`npm run fuzz`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertFuzz, byteMutations, fuzzRuns, fuzzTimeoutMillis, mutateBytes, readTyped } from '@siamwatch/embedding-io/testing';
import { DatasetError } from './dataset-types.ts';
import { loadDataset } from './load-dataset.ts';
import { encodeNpy } from './npy-array.ts';

const RUNS = fuzzRuns(process.env);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npy-dataset-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const validPair = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), h: fc.integer({ min: 1, max: 4 }), c: fc.constantFrom(0, 1, 3), float: fc.boolean() })
  .map(({ n, h, c, float }) => {
    const shape = c === 0 ? [n, h, h] : [n, h, h, c];
    const size = shape.reduce((a, b) => a * b, 1);
    const images = float ? encodeNpy(Float32Array.from({ length: size }, (_, i) => (i % 11) / 10), shape) : encodeNpy(Uint8Array.from({ length: size }, (_, i) => i), shape);
    const labels = encodeNpy(Int32Array.from({ length: n }, (_, i) => i % 3), [n]);
    return { images, labels };
  });

const anyPair = fc.oneof(
  fc.tuple(validPair, byteMutations, fc.boolean()).map(([p, m, which]) => (which ? { ...p, images: mutateBytes(p.images, m, 128) } : { ...p, labels: mutateBytes(p.labels, m, 128) })),
  validPair,
  fc.tuple(validPair, fc.uint8Array({ maxLength: 128 })).map(([p, bytes]) => ({ ...p, images: bytes })),
);

describe('fuzzing the .npy dataset loader', () => {
  it(
    'loadDataset returns a consistent dataset or raises DatasetError',
    async () => {
      const images = join(dir, 'x.npy');
      const labels = join(dir, 'y.npy');
      await assertFuzz('npy-dataset', anyPair, async (pair) => {
        await Promise.all([writeFile(images, pair.images), writeFile(labels, pair.labels)]);
        const outcome = await readTyped(() => loadDataset({ name: 'npy', path: images, labelsPath: labels, seed: 0 }), [DatasetError]);
        if (outcome.ok) {
          const { train, imageShape } = outcome.value;
          expect(train.x.length).toBe(train.n * imageShape.reduce((a, b) => a * b, 1));
          expect(train.y.length).toBe(train.n);
        }
      }, RUNS);
    },
    fuzzTimeoutMillis(RUNS),
  );
});
