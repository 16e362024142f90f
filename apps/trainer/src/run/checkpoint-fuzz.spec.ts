/**
 * Fuzzing (fast-check) of the checkpoint reader: valid checkpoints with mutated bytes, the same with
 * the sha256 recomputed (so the damage reaches the header and index parser behind the checksum),
 * hostile headers (tensor lengths up to 2^53, negative offsets, non-JSON) and random bytes. Every
 * decode must return tensors consistent with their shapes or raise `CheckpointError`, in bounded
 * time and memory. `SIAMWATCH_FUZZ_RUNS` sets the cases per property (`npm run fuzz`).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertFuzz, byteMutations, fuzzRuns, fuzzTimeoutMillis, hostileDimension, mutateBytes, readTyped } from '@siamwatch/embedding-io/testing';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, type Checkpoint } from './checkpoint.ts';

const RUNS = fuzzRuns(process.env);
const PREFIX = 8 + 32 + 4;

/** Recomputes the sha256 so a damaged body passes the checksum and reaches the parser. */
function rehash(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  if (out.length >= PREFIX) createHash('sha256').update(out.subarray(40)).digest().copy(out, 8);
  return out;
}

const validCheckpoint = fc
  .record({
    step: fc.nat(10_000),
    shapes: fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }), { maxLength: 3 }),
    meta: fc.jsonValue({ maxDepth: 2 }),
  })
  .map(({ step, shapes, meta }) => {
    const tensors: Checkpoint['tensors'] = {};
    shapes.forEach((shape, i) => {
      const length = shape.reduce((a, b) => a * b, 1);
      tensors[`t${i}`] = { shape, data: Float32Array.from({ length }, (_, k) => k - i) };
    });
    return encodeCheckpoint({ step, tensors, meta: { value: meta } });
  });

/** A checkpoint with a valid checksum over a hostile header. */
const hostileHeader = fc
  .oneof(
    fc.record({
      step: fc.oneof(fc.nat(), fc.jsonValue()),
      meta: fc.oneof(fc.object(), fc.jsonValue()),
      tensors: fc.oneof(
        fc.array(
          fc.record(
            {
              name: fc.oneof(fc.constantFrom('w', 'w', '__proto__', 'constructor'), fc.jsonValue()),
              shape: fc.oneof(fc.array(hostileDimension, { maxLength: 3 }), fc.jsonValue()),
              offset: fc.oneof(hostileDimension, fc.integer({ min: -64, max: 64 }), fc.double()),
              length: fc.oneof(hostileDimension, fc.integer({ min: -4, max: 64 }), fc.double(), fc.constant(null)),
            },
            { requiredKeys: [] },
          ),
          { maxLength: 3 },
        ),
        fc.jsonValue(),
      ),
    }).map((h) => JSON.stringify(h)),
    fc.string({ maxLength: 40 }),
  )
  .chain((header) => fc.tuple(fc.constant(header), fc.integer({ min: 0, max: 64 }), fc.oneof(fc.constant(-1), fc.nat())))
  .map(([header, payload, claimed]) => {
    const text = Buffer.from(header, 'utf8');
    const out = Buffer.alloc(PREFIX + text.length + payload);
    out.write('SWCKPT01', 0, 'ascii');
    out.writeUInt32LE(claimed === -1 ? text.length : claimed >>> 0, 40);
    text.copy(out, PREFIX);
    return rehash(out);
  });

const anyCheckpoint = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(validCheckpoint, byteMutations).map(([base, m]) => Buffer.from(mutateBytes(base, m))) },
  { weight: 3, arbitrary: fc.tuple(validCheckpoint, byteMutations, fc.boolean()).map(([base, m, head]) => rehash(mutateBytes(base, m, head ? 160 : undefined))) },
  { weight: 3, arbitrary: hostileHeader },
  { weight: 1, arbitrary: validCheckpoint },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 128 }).map((b) => Buffer.from(b)) },
);

describe('fuzzing the checkpoint reader', () => {
  it(
    'decodeCheckpoint returns tensors matching their shapes or raises CheckpointError',
    async () => {
      await assertFuzz('checkpoint', anyCheckpoint, async (bytes) => {
        const outcome = await readTyped(() => decodeCheckpoint(bytes, 'fuzz.ckpt'), [CheckpointError]);
        if (outcome.ok) {
          expect(Number.isSafeInteger(outcome.value.step)).toBe(true);
          for (const tensor of Object.values(outcome.value.tensors)) {
            expect(tensor.data.length).toBe(tensor.shape.reduce((a, b) => a * b, 1));
            expect(tensor.data.byteLength).toBeLessThanOrEqual(bytes.length);
          }
        } else {
          expect(outcome.error.message).toContain('fuzz.ckpt');
        }
      }, RUNS);
    },
    fuzzTimeoutMillis(RUNS),
  );
});
