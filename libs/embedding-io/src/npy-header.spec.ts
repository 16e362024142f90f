import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingFormatError } from './embedding-format-error.ts';
import { readNpyHeader } from './npy-header.ts';
import { encodeNpyHeader, writeNpy } from './npy-writer.ts';

/** Builds a .npy file byte by byte with an arbitrary header dict (numpy's layout). */
function rawNpy(dict: string, dataBytes: number, major = 1): Uint8Array {
  const lengthBytes = major === 1 ? 2 : 4;
  const preamble = 8 + lengthBytes;
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  const header = `${dict}${' '.repeat(total - preamble - dict.length - 1)}\n`;
  const out = new Uint8Array(total + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(new TextEncoder().encode(header), preamble);
  return out;
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'npy-header-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function headerError(name: string, bytes: Uint8Array): Promise<EmbeddingFormatError> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  const error = await readNpyHeader(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddingFormatError);
  const typed = error as EmbeddingFormatError;
  expect(typed.name).toBe('EmbeddingFormatError');
  expect(typed.message).toContain(path);
  return typed;
}

describe('readNpyHeader', () => {
  it.each(['1.0', '2.0', '3.0'] as const)('reads a version %s header written by writeNpy', async (version) => {
    const path = join(dir, `v${version}.npy`);
    await writeNpy(path, new Float32Array(15).fill(1), 5, 3, { version });
    const header = await readNpyHeader(path);
    expect(header).toMatchObject({ version, descr: '<f4', dtype: 'float32', n: 5, d: 3, dataBytes: 60 });
    expect(header.dataOffset % 64).toBe(0);
  });

  it('reads the header numpy itself writes (Python 2 long suffixes included)', async () => {
    const path = join(dir, 'py2.npy');
    await writeFile(path, rawNpy("{'descr': '<f8', 'fortran_order': False, 'shape': (2L, 3L), }", 48));
    expect(await readNpyHeader(path)).toMatchObject({ dtype: 'float64', n: 2, d: 3, dataBytes: 48 });
  });

  it('accepts an empty matrix (0 rows)', async () => {
    const path = join(dir, 'empty.npy');
    await writeFile(path, encodeNpyHeader('<f4', 0, 8));
    expect(await readNpyHeader(path)).toMatchObject({ n: 0, d: 8, dataBytes: 0 });
  });

  it('refuses integer dtypes, naming the descr', async () => {
    const error = await headerError('int.npy', rawNpy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 2), }", 32));
    expect(error.code).toBe('unsupported-dtype');
    expect(error.message).toContain("descr '<i8' is not supported: use float32 or float64");
  });

  it('refuses big-endian floats', async () => {
    const error = await headerError('be.npy', rawNpy("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 2), }", 16));
    expect(error.code).toBe('unsupported-dtype');
    expect(error.message).toContain("'>f4' is big-endian");
  });

  it('refuses structured dtypes', async () => {
    const error = await headerError('rec.npy', rawNpy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2, 2), }", 16));
    expect(error.code).toBe('unsupported-dtype');
    expect(error.message).toContain('structured dtype');
  });

  it('refuses Fortran order', async () => {
    const error = await headerError('fortran.npy', rawNpy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", 16));
    expect(error.code).toBe('fortran-order');
    expect(error.message).toContain('fortran_order True');
  });

  it.each([
    ['1-D', '(6,)', 24, 'shape (6,) is 1-D'],
    ['3-D', '(2, 3, 4)', 96, 'shape (2, 3, 4) is 3-D'],
    ['0-D', '()', 4, 'shape () is 0-D'],
  ])('refuses a %s array', async (_label, shape, bytes, message) => {
    const error = await headerError(`shape-${shape.length}.npy`, rawNpy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`, bytes));
    expect(error.code).toBe('bad-shape');
    expect(error.message).toContain(message);
  });

  it('refuses a truncated data section, with both sizes', async () => {
    const full = rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (10, 4), }", 160);
    const error = await headerError('truncated.npy', full.subarray(0, full.length - 7));
    expect(error.code).toBe('truncated');
    expect(error.message).toContain('data section has 153 bytes');
    expect(error.message).toContain('needs 160');
  });

  it('refuses trailing bytes after the data (ragged file)', async () => {
    const error = await headerError('long.npy', rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", 20));
    expect(error.code).toBe('trailing-bytes');
    expect(error.message).toContain('needs only 16');
  });

  it('refuses a corrupt header dict, quoting it', async () => {
    const error = await headerError('corrupt.npy', rawNpy("{'descr': '<f4', 'fortran_order': Fals", 16));
    expect(error.code).toBe('bad-header');
    expect(error.message).toContain('corrupt header');
    expect(error.message).toContain('fortran_order');
  });

  it('refuses a header without shape', async () => {
    const error = await headerError('noshape.npy', rawNpy("{'descr': '<f4', 'fortran_order': False}", 16));
    expect(error.message).toContain("no 'shape' key");
  });

  it('refuses a header length beyond the file', async () => {
    const bytes = rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", 4);
    new DataView(bytes.buffer).setUint16(8, 60000, true);
    const error = await headerError('headerlen.npy', bytes);
    expect(error.code).toBe('bad-header');
    expect(error.message).toContain('header length 60000');
  });

  it('refuses files without the magic and unknown versions', async () => {
    const notNpy = await headerError('text.npy', new TextEncoder().encode('hello, this is not numpy'));
    expect(notNpy.code).toBe('bad-magic');
    const v9 = await headerError('v9.npy', rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }", 4, 9));
    expect(v9.code).toBe('unsupported-version');
    expect(v9.message).toContain('version 9.0');
  });
});
