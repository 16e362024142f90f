import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckpointError, listCheckpoints, loadCheckpoint, loadLatestCheckpoint, saveCheckpoint } from './checkpoint.ts';

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
});
