/**
 * `npm run native:install`: gives `@tensorflow/tfjs-node` (or `-gpu`) a working binding on a machine that cannot
 * download libtensorflow. It takes the TensorFlow C library from a pip wheel (or a directory given), compiles the
 * binding from the npm package's sources, and installs it where the package looks. Everything it builds lives in
 * `<workspace>/.native/` (ignored by git; survives `npm ci`) and is assembled in a temp directory renamed into
 * place, so a killed run leaves nothing half-installed; the addon is copied into `node_modules` by rename and
 * removed again if the package then fails to load. A second run with the same inputs rebuilds nothing.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '@siamwatch/embedding-io';
import { ensurePackage, tfjsVersion, type BindingPackage, type BindingPackageName } from './binding-package.ts';
import { compileBinding, findNodeHeaders } from './compile-binding.ts';
import { NativeVerifyError } from './native-errors.ts';
import { downloadWheel, extractWheel, findTfLibrary, type TfLibrary } from './tf-library.ts';
import { verifyAddon, verifyPackage } from './verify-binding.ts';

/** Inputs of one install (see `native-options.ts` for the flags and their defaults). */
export interface NativeInstallOptions {
  /** Target `@tensorflow/tfjs-node-gpu` instead of `@tensorflow/tfjs-node`. */
  gpu: boolean;
  python: string;
  compiler: string;
  /** Wheel distribution pip fetches (`tensorflow-cpu`; `tensorflow` is the CUDA-enabled Linux build). */
  distribution: string;
  version: string;
  /** A wheel file to use instead of downloading. */
  wheel?: string;
  /** A TensorFlow C library directory to link against instead of a wheel (not copied). */
  tfLibDir?: string;
  /** Workspace root: `.native/` lives here and npm installs the package here. */
  workspaceRoot: string;
  /** The trainer's directory: packages are resolved from here, as the trainer does. */
  trainerDir: string;
  /** Rebuild even when a matching build exists. */
  force: boolean;
  log: (line: string) => void;
}

/** What was installed and whether anything had to be done. */
export interface NativeInstallResult {
  package: BindingPackageName;
  bindingPath: string;
  libDir: string;
  /** `already installed`, `installed from an existing build` or `built and installed`. */
  action: string;
  stamp: NativeStamp;
}

/** What a build was made from; a build is reused only when every field matches. */
export interface NativeStamp {
  package: string;
  packageVersion: string;
  napiVersion: number;
  source: string;
  node: string;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function sourceOf(options: NativeInstallOptions): string {
  if (options.tfLibDir !== undefined) return `dir:${resolve(options.tfLibDir)}`;
  if (options.wheel !== undefined) return `wheel:${basename(options.wheel)}`;
  return `pip:${options.distribution}==${options.version}`;
}

/** Directory name of a build: readable, plus a hash of the whole stamp. */
export function buildKey(stamp: NativeStamp): string {
  const hash = createHash('sha256').update(JSON.stringify(stamp)).digest('hex').slice(0, 10);
  const readable = stamp.source.replace(/^[a-z]+:/, '').replace(/==/g, '-').replace(/[^A-Za-z0-9.-]+/g, '_').slice(-40);
  return `${basename(stamp.package)}-${readable}-${hash}`;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function readStamp(dir: string): NativeStamp | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'stamp.json'), 'utf8')) as NativeStamp;
  } catch {
    return null;
  }
}

/** Removes temp directories of killed runs (`.tmp-<pid>-*` whose process is gone). */
function removeStaleTemps(nativeDir: string): void {
  for (const name of existsSync(nativeDir) ? readdirSync(nativeDir) : []) {
    const pid = /^\.tmp-(\d+)-/.exec(name)?.[1];
    if (pid === undefined) continue;
    let alive = true;
    try {
      process.kill(Number(pid), 0);
    } catch {
      alive = false;
    }
    if (!alive || Number(pid) === process.pid) rmSync(join(nativeDir, name), { recursive: true, force: true });
  }
}

/** Builds `<nativeDir>/<key>/` (binding + TF libraries + stamp) in a temp dir and renames it into place. */
async function build(options: NativeInstallOptions, pkg: BindingPackage, stamp: NativeStamp, finalDir: string): Promise<void> {
  const nativeDir = dirname(finalDir);
  const temp = join(nativeDir, `.tmp-${process.pid}-${basename(finalDir)}`);
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  try {
    let library: TfLibrary;
    let finalLibDir: string;
    if (options.tfLibDir !== undefined) {
      library = findTfLibrary(options.tfLibDir);
      finalLibDir = library.libDir;
    } else {
      let started = Date.now();
      const wheel = options.wheel ?? downloadWheel({ python: options.python, distribution: options.distribution, version: options.version, dir: join(nativeDir, 'wheels') });
      options.log(`native: wheel ${wheel} (${seconds(started)})`);
      started = Date.now();
      library = extractWheel(options.python, resolve(wheel), join(temp, 'tf'));
      options.log(`native: unpacked its C library and headers (${seconds(started)})`);
      finalLibDir = join(finalDir, 'tf');
    }
    const addon = join(temp, 'tfjs_binding.node');
    const compileStart = Date.now();
    compileBinding({
      compiler: options.compiler,
      packageDir: pkg.dir,
      library: { ...library, rpath: finalLibDir },
      napiVersion: pkg.napiVersion,
      nodeHeaders: findNodeHeaders(),
      output: addon,
    });
    options.log(`native: compiled the ${pkg.name} ${pkg.version} binding (N-API ${pkg.napiVersion}) with ${options.compiler} (${seconds(compileStart)})`);
    const loads = verifyAddon(addon, library.libDir);
    if (!loads.ok) {
      throw new NativeVerifyError(`${pkg.name} (built addon ${addon})`, loads.detail);
    }
    rmSync(join(temp, 'tf', 'include'), { recursive: true, force: true });
    await writeFileAtomic(join(temp, 'stamp.json'), [Buffer.from(`${JSON.stringify(stamp, null, 2)}\n`)]);
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(temp, finalDir);
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
}

/** Copies the built addon to the package's binding path atomically; returns the previous file's backup, if any. */
function place(addon: string, target: string): string | null {
  mkdirSync(dirname(target), { recursive: true });
  const staged = `${target}.${process.pid}.tmp`;
  copyFileSync(addon, staged);
  let backup: string | null = null;
  if (existsSync(target)) {
    backup = `${target}.${process.pid}.previous`;
    renameSync(target, backup);
  }
  renameSync(staged, target);
  return backup;
}

/** Runs the whole install; see the file comment. Throws a `NativeInstallError` subclass on failure. */
export async function installNative(options: NativeInstallOptions): Promise<NativeInstallResult> {
  const name: BindingPackageName = options.gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  const pkg = ensurePackage(name, tfjsVersion(options.trainerDir), options.workspaceRoot, options.trainerDir, options.log);
  const stamp: NativeStamp = { package: pkg.name, packageVersion: pkg.version, napiVersion: pkg.napiVersion, source: sourceOf(options), node: process.versions.modules };
  const nativeDir = join(options.workspaceRoot, '.native');
  mkdirSync(nativeDir, { recursive: true });
  removeStaleTemps(nativeDir);
  const finalDir = join(nativeDir, buildKey(stamp));
  const built = join(finalDir, 'tfjs_binding.node');
  const reuse = !options.force && existsSync(built) && JSON.stringify(readStamp(finalDir)) === JSON.stringify(stamp);
  if (!reuse) {
    await build(options, pkg, stamp, finalDir);
  }
  const libDir = options.tfLibDir !== undefined ? findTfLibrary(options.tfLibDir).libDir : join(finalDir, 'tf');
  const same = existsSync(pkg.bindingPath) && sha256(pkg.bindingPath) === sha256(built);
  const backup = same ? null : place(built, pkg.bindingPath);
  const check = verifyPackage(pkg.name, options.trainerDir);
  if (!check.ok) {
    if (!same) {
      rmSync(pkg.bindingPath, { force: true });
      if (backup !== null) renameSync(backup, pkg.bindingPath);
    }
    throw new NativeVerifyError(pkg.name, check.detail);
  }
  if (backup !== null) rmSync(backup, { force: true });
  const action = reuse ? (same ? 'already installed' : 'installed from an existing build') : 'built and installed';
  options.log(`native: ${pkg.name} ${action}: ${pkg.bindingPath} -> ${libDir} (${check.detail})`);
  return { package: pkg.name, bindingPath: pkg.bindingPath, libDir, action, stamp };
}
