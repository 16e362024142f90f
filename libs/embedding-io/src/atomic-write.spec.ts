import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTempFiles, writeFileAtomic, writeFileAtomicSync } from './atomic-write.ts';

const fresh = (): string => mkdtempSync(join(tmpdir(), 'atomic-write-'));

describe('writeFileAtomic / writeFileAtomicSync', () => {
  it('write strings, bytes and byte parts, replacing the old file and leaving no temp file', async () => {
    const dir = fresh();
    const path = join(dir, 'out.bin');
    writeFileAtomicSync(path, 'old');
    await writeFileAtomic(path, [Uint8Array.from([1, 2]), Uint8Array.from([3])]);
    expect(Array.from(readFileSync(path))).toEqual([1, 2, 3]);
    writeFileAtomicSync(path, Uint8Array.from([9]));
    expect(Array.from(readFileSync(path))).toEqual([9]);
    await writeFileAtomic(path, 'héllo');
    expect(readFileSync(path, 'utf8')).toBe('héllo');
    expect(readdirSync(dir)).toEqual(['out.bin']);
  });

  it('remove the temp file and keep the old content when the rename fails', async () => {
    const dir = fresh();
    const target = join(dir, 'taken');
    mkdirSync(join(target, 'child'), { recursive: true }); // a non-empty directory cannot be replaced by a file
    expect(() => writeFileAtomicSync(target, 'x')).toThrow();
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
  });
});

describe('removeStaleTempFiles', () => {
  it('deletes the temp files of killed writers (old and new names) and nothing else', () => {
    const dir = fresh();
    for (const name of ['.a.json.123.0.tmp', '.b.ckpt.77.9f3a01bc.tmp', 'keep.json', '.hidden', 'x.tmp']) writeFileSync(join(dir, name), '');
    expect(removeStaleTempFiles(dir)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['.hidden', 'keep.json', 'x.tmp']);
  });
});
