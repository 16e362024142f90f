import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, decodeCheckpoint, listCheckpoints, loadCheckpoint, loadLatestCheckpoint, saveCheckpoint } from './checkpoint.ts';

function sample(step: number) {
  return {
    step,
    tensors: {
      'backbone/w': { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 1e-7, 0, step]) },
      'bn/mean': { shape: [3], data: Float32Array.from([0.1, 0.2, 0.3]) },
    },
    meta: { rng: [1, 2, 3, 4], scheduler: { regime: 'iid' }, step },
  };
}

describe('checkpoints', () => {
  it('round-trips tensors and metadata exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-ckpt-'));
    const file = saveCheckpoint(dir, sample(10));
    const loaded = loadCheckpoint(file);
    expect(loaded.step).toBe(10);
    expect(loaded.meta).toEqual(sample(10).meta);
    expect(Array.from(loaded.tensors['backbone/w']!.data)).toEqual(Array.from(sample(10).tensors['backbone/w'].data));
    expect(loaded.tensors['bn/mean']!.shape).toEqual([3]);
  });

  it('keeps only the newest two and leaves no temp files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-ckpt-'));
    for (const step of [5, 10, 15, 20]) saveCheckpoint(dir, sample(step), 2);
    expect(listCheckpoints(dir).map((c) => c.step)).toEqual([15, 20]);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(loadLatestCheckpoint(dir)?.step).toBe(20);
  });

  it('raises CheckpointError naming the file when a byte flips', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-ckpt-'));
    const file = saveCheckpoint(dir, sample(7));
    const bytes = readFileSync(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x40;
    writeFileSync(file, bytes);
    expect(() => loadCheckpoint(file)).toThrow(CheckpointError);
    expect(() => loadCheckpoint(file)).toThrow(file);
    expect(() => loadLatestCheckpoint(dir)).toThrow(/checksum/);
  });

  it('raises CheckpointError on truncated and foreign files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-ckpt-'));
    const file = saveCheckpoint(dir, sample(3));
    writeFileSync(file, readFileSync(file).subarray(0, 60));
    expect(() => loadCheckpoint(file)).toThrow(CheckpointError);
    const foreign = join(dir, 'step-000000004.ckpt');
    writeFileSync(foreign, 'hello');
    const error = (() => {
      try {
        loadCheckpoint(foreign);
      } catch (e) {
        return e as CheckpointError;
      }
      return undefined;
    })();
    expect(error?.name).toBe('CheckpointError');
    expect(error?.file).toBe(foreign);
    expect(() => loadCheckpoint(join(dir, 'absent.ckpt'))).toThrow(/absent\.ckpt/);
  });

  it('raises CheckpointError for a checksum-valid file with a broken header or index (found by fuzzing)', () => {
    const withHeader = (header: string, payload = 0): Buffer => {
      const text = Buffer.from(header, 'utf8');
      const out = Buffer.alloc(44 + text.length + payload);
      out.write('SWCKPT01', 0, 'ascii');
      out.writeUInt32LE(text.length, 40);
      text.copy(out, 44);
      createHash('sha256').update(out.subarray(40)).digest().copy(out, 8);
      return out;
    };
    const cases: [Buffer, RegExp][] = [
      [withHeader('{"step": 1, "meta": {}, "tensors": ['), /corrupt header: .*JSON/],
      [withHeader('{"step": 1, "meta": {}, "tensors": 5}'), /tensors is not an array/],
      [withHeader('{"step": -1, "meta": {}, "tensors": []}'), /step -1 is not a non-negative integer/],
      [withHeader('{"step": 1, "meta": {}, "tensors": [{"name": "w", "shape": [2], "offset": 0, "length": -2}]}'), /offset\/length/],
      [withHeader('{"step": 1, "meta": {}, "tensors": [{"name": "w", "shape": [1e15], "offset": 0, "length": 1e15}]}', 8), /truncated at tensor "w"/],
      [withHeader('{"step": 1, "meta": {}, "tensors": [{"name": "w", "shape": [3], "offset": 0, "length": 2}]}', 8), /does not hold 2 values/],
    ];
    for (const [bytes, message] of cases) {
      expect(() => decodeCheckpoint(bytes, 'x.ckpt')).toThrow(CheckpointError);
      expect(() => decodeCheckpoint(bytes, 'x.ckpt')).toThrow(message);
    }
    const proto = decodeCheckpoint(withHeader('{"step": 2, "meta": {}, "tensors": [{"name": "__proto__", "shape": [1], "offset": 0, "length": 1}]}', 4), 'p.ckpt');
    expect(Object.keys(proto.tensors)).toEqual(['__proto__']);
    expect(proto.tensors['__proto__']?.shape).toEqual([1]);
  });
});
