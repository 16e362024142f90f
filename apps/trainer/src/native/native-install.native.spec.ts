/**
 * `npm run native:install` on a machine where it has run (CI runs it before the tests): a second run rebuilds
 * nothing and leaves the binding as it was, and a failing build leaves nothing behind (no build directory, no temp
 * directory, the installed binding untouched). Runs only where the native specs are switched on.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { locatePackage } from './binding-package.ts';
import { TensorflowLibraryError } from './native-errors.ts';
import { installNative } from './native-install.ts';
import { parseNativeOptions } from './native-options.ts';

const trainerDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const workspaceRoot = resolve(trainerDir, '../..');
const hash = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('native:install (installed)', () => {
  it('a second run with the default inputs rebuilds nothing and keeps the binding', async () => {
    const pkg = locatePackage('@tensorflow/tfjs-node', trainerDir);
    expect(pkg, 'run npm run native:install first').not.toBeNull();
    const before = hash(pkg!.bindingPath);
    const lines: string[] = [];
    const result = await installNative({ ...parseNativeOptions([], process.env), workspaceRoot, trainerDir, log: (l) => lines.push(l) });
    expect(result.action).toBe('already installed');
    expect(hash(pkg!.bindingPath)).toBe(before);
    expect(lines.some((l) => l.includes('compiled'))).toBe(false);
  }, 300_000);

  it('a wheel without the C library fails with a typed error and leaves nothing half-installed', async () => {
    const pkg = locatePackage('@tensorflow/tfjs-node', trainerDir)!;
    const before = hash(pkg.bindingPath);
    const root = mkdtempSync(join(tmpdir(), 'siamwatch-native-half-'));
    const wheel = join(root, 'tensorflow_cpu-0.0-py3-none-any.whl');
    writeFileSync(wheel, Buffer.from('504b0506000000000000000000000000000000000000', 'hex')); // an empty zip
    const install = installNative({ ...parseNativeOptions(['--wheel', wheel], {}), workspaceRoot: root, trainerDir, log: () => undefined });
    await expect(install).rejects.toBeInstanceOf(TensorflowLibraryError);
    expect(readdirSync(join(root, '.native'))).toEqual([]);
    expect(existsSync(pkg.bindingPath)).toBe(true);
    expect(hash(pkg.bindingPath)).toBe(before);
  }, 120_000);
});
