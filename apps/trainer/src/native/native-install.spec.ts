import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileArgs, compileBinding, findNodeHeaders } from './compile-binding.ts';
import {
  BindingCompileError,
  BindingSourcesError,
  MissingToolError,
  NativeOptionError,
  TensorflowLibraryError,
  WheelUnavailableError,
} from './native-errors.ts';
import { DEFAULT_TF_VERSION, parseNativeOptions } from './native-options.ts';
import { runTool } from './run-tool.ts';
import { downloadWheel, extractWheel, findTfLibrary } from './tf-library.ts';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'siamwatch-native-'));

/** A zip file holding `members` (name -> text), written by python's zipfile (a wheel is a zip). */
function makeZip(members: Record<string, string>): string {
  const file = join(scratch(), 'fake-1.0-py3-none-any.whl');
  const script = 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],"w")\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(k,v)\nz.close()';
  const run = spawnSync('python3', ['-c', script, file, JSON.stringify(members)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return file;
}

/** A directory in the wheel layout (fake libraries: only their presence is checked). */
function fakeLibraryDir(layout: 'wheel' | 'tarball'): string {
  const dir = scratch();
  const libDir = layout === 'wheel' ? dir : join(dir, 'lib');
  mkdirSync(join(dir, 'include', 'tensorflow', 'c'), { recursive: true });
  mkdirSync(libDir, { recursive: true });
  writeFileSync(join(dir, 'include', 'tensorflow', 'c', 'c_api.h'), '');
  const libs = layout === 'wheel' ? ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] : ['libtensorflow.so.2', 'libtensorflow_framework.so.2'];
  for (const lib of libs) writeFileSync(join(libDir, lib), '');
  return dir;
}

describe('native:install options', () => {
  it('defaults to the pinned tensorflow-cpu wheel, python3 and g++; --gpu defaults to the tensorflow wheel', () => {
    const cpu = parseNativeOptions([], {});
    expect(cpu).toMatchObject({ gpu: false, version: DEFAULT_TF_VERSION, distribution: 'tensorflow-cpu', python: 'python3', compiler: 'g++', force: false });
    expect(parseNativeOptions(['--gpu'], {})).toMatchObject({ gpu: true, distribution: 'tensorflow' });
  });

  it('takes the environment, and flags win over it', () => {
    const env = { SIAMWATCH_TF_WHEEL_VERSION: '2.20.0', SIAMWATCH_TF_WHEEL_PACKAGE: 'tensorflow', CXX: 'clang++', SIAMWATCH_PYTHON: '/opt/py' };
    expect(parseNativeOptions([], env)).toMatchObject({ version: '2.20.0', distribution: 'tensorflow', compiler: 'clang++', python: '/opt/py' });
    expect(parseNativeOptions(['--tf-version', '2.19.1', '--cxx', 'g++-12'], env)).toMatchObject({ version: '2.19.1', compiler: 'g++-12' });
  });

  it('rejects a bad version and two library sources with a typed error naming the value', () => {
    expect(() => parseNativeOptions(['--tf-version', '2.x; rm -rf'], {})).toThrow(NativeOptionError);
    expect(() => parseNativeOptions([], { SIAMWATCH_TF_WHEEL_VERSION: 'latest' })).toThrow(/"latest"/);
    expect(() => parseNativeOptions(['--wheel', 'a.whl', '--tf-lib-dir', '/opt/tf'], {})).toThrow(/a\.whl \+ \/opt\/tf/);
  });
});

describe('native:install error paths', () => {
  it('names a tool that is not installed', () => {
    expect(() => runTool('siamwatch-no-such-tool', [], { tool: 'a C++17 compiler', hint: 'apt-get install g++' })).toThrow(MissingToolError);
    expect(() => downloadWheel({ python: 'siamwatch-no-such-python', distribution: 'tensorflow-cpu', version: '2.21.0', dir: scratch() })).toThrow(
      /pip \(python3 -m pip\) is missing: 'siamwatch-no-such-python' is not on PATH/,
    );
  });

  it('says which wheel pip could not fetch', () => {
    const fetch = () => downloadWheel({ python: 'python3', distribution: 'tensorflow-cpu', version: '0.0.1', dir: scratch() });
    expect(fetch).toThrow(WheelUnavailableError);
    expect(fetch).toThrow(/tensorflow-cpu==0\.0\.1 is unavailable: pip download failed/);
  }, 120_000);

  it('names what a wheel lacks, and a file that is not a wheel', () => {
    const noLibrary = makeZip({ 'tensorflow/__init__.py': '' });
    expect(() => extractWheel('python3', noLibrary, scratch())).toThrow(TensorflowLibraryError);
    expect(() => extractWheel('python3', noLibrary, scratch())).toThrow(/libtensorflow_cc\.so\.2.*c_api\.h/);
    const notZip = join(scratch(), 'x.whl');
    writeFileSync(notZip, 'not a zip');
    expect(() => extractWheel('python3', notZip, scratch())).toThrow(/not a wheel/);
    expect(() => extractWheel('python3', join(scratch(), 'missing.whl'), scratch())).toThrow(/missing\.whl is unavailable: no such file/);
  });

  it('accepts the wheel and the libtensorflow tarball layouts and names what a directory lacks', () => {
    expect(findTfLibrary(fakeLibraryDir('wheel')).linkNames).toEqual(['-l:libtensorflow_cc.so.2', '-l:libtensorflow_framework.so.2']);
    const tarball = fakeLibraryDir('tarball');
    expect(findTfLibrary(tarball)).toMatchObject({ libDir: join(tarball, 'lib'), linkNames: ['-l:libtensorflow.so.2', '-l:libtensorflow_framework.so.2'] });
    expect(() => findTfLibrary(scratch())).toThrow(/libtensorflow_cc\.so\.2 \+ libtensorflow_framework\.so\.2 \(wheel layout\)/);
    expect(() => findTfLibrary(join(scratch(), 'nope'))).toThrow(/the directory itself/);
  });

  it('compiles with the rpath given, and names missing sources, a missing compiler and a compile failure', () => {
    const library = { ...findTfLibrary(fakeLibraryDir('wheel')), rpath: '/opt/final/tf' };
    const packageDir = scratch();
    const request = { compiler: 'g++', packageDir, library, napiVersion: 8, nodeHeaders: findNodeHeaders(), output: join(scratch(), 'b.node') };
    expect(compileArgs(request)).toEqual(expect.arrayContaining(['-DNAPI_VERSION=8', '-Wl,-rpath,/opt/final/tf', '-l:libtensorflow_cc.so.2']));
    expect(existsSync(join(findNodeHeaders(), 'node_api.h'))).toBe(true);
    expect(() => compileBinding(request)).toThrow(BindingSourcesError);
    mkdirSync(join(packageDir, 'binding'));
    writeFileSync(join(packageDir, 'binding', 'tfjs_backend.cc'), 'this is not C++;\n');
    writeFileSync(join(packageDir, 'binding', 'tfjs_binding.cc'), '');
    expect(() => compileBinding({ ...request, compiler: 'siamwatch-no-such-cxx' })).toThrow(/C\+\+17 compiler \(siamwatch-no-such-cxx\) is missing/);
    expect(() => compileBinding(request)).toThrow(BindingCompileError);
    expect(existsSync(request.output)).toBe(false);
  }, 120_000);
});
