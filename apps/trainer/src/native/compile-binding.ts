/**
 * Compiles the tfjs-node binding (`binding/tfjs_backend.cc`, `binding/tfjs_binding.cc`, shipped in the npm
 * package) with the system C++ compiler against Node's N-API headers and a TensorFlow C library, the way the
 * package's `binding.gyp` does, without node-gyp: one g++ call, the library directory as rpath.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BindingCompileError, BindingSourcesError, MissingToolError } from './native-errors.ts';
import type { TfLibrary } from './tf-library.ts';
import { lastLines, runTool } from './run-tool.ts';

/** The binding's sources relative to the package directory. */
export const BINDING_SOURCES: readonly string[] = ['binding/tfjs_backend.cc', 'binding/tfjs_binding.cc'];

/**
 * Node's headers (`node_api.h`): next to the running node (`<prefix>/include/node`), else under `nodeDir`
 * (npm's `nodedir`, e.g. `/usr`). Throws `MissingToolError` naming where it looked.
 */
export function findNodeHeaders(nodeDir: string | undefined = process.env['npm_config_nodedir']): string {
  const candidates = [join(dirname(realpathSync(process.execPath)), '..', 'include', 'node')];
  if (nodeDir !== undefined && nodeDir !== '') {
    candidates.push(join(nodeDir, 'include', 'node'));
  }
  candidates.push('/usr/include/node', '/usr/local/include/node');
  const found = candidates.find((dir) => existsSync(join(dir, 'node_api.h')));
  if (found === undefined) {
    throw new MissingToolError(
      "Node.js headers (node_api.h)",
      candidates.join(', '),
      'has no node_api.h',
      'install the headers of this Node version (apt-get install libnode-dev, or a Node tarball from nodejs.org)',
    );
  }
  return found;
}

/** What to compile and where to put it. */
export interface CompileRequest {
  /** C++ compiler (default `g++`, or `$CXX`). */
  compiler: string;
  /** The `@tensorflow/tfjs-node(-gpu)` package directory (holds `binding/`). */
  packageDir: string;
  library: TfLibrary;
  /** N-API version the addon is built for (the `napi-vN` folder it goes to). */
  napiVersion: number;
  nodeHeaders: string;
  /** Output file (`.node`). */
  output: string;
}

/** The full compiler argument list (exported for the tests and the error message). */
export function compileArgs(request: CompileRequest): string[] {
  const { library } = request;
  return [
    '-std=c++17',
    '-shared',
    '-fPIC',
    '-O2',
    `-DNAPI_VERSION=${request.napiVersion}`,
    `-I${request.nodeHeaders}`,
    `-I${library.includeDir}`,
    `-I${request.packageDir}`,
    ...BINDING_SOURCES.map((s) => join(request.packageDir, s)),
    `-L${library.libDir}`,
    ...library.linkNames,
    `-Wl,-rpath,${library.rpath ?? library.libDir}`,
    '-o',
    request.output,
  ];
}

/** Compiles the binding; throws `BindingSourcesError`, `MissingToolError` or `BindingCompileError`. */
export function compileBinding(request: CompileRequest): void {
  for (const source of BINDING_SOURCES) {
    if (!existsSync(join(request.packageDir, source))) {
      throw new BindingSourcesError(request.packageDir, `${source} not found`);
    }
  }
  const run = runTool(request.compiler, compileArgs(request), {
    tool: `a C++17 compiler (${request.compiler})`,
    hint: 'install one (apt-get install g++) or set CXX',
  });
  if (run.status !== 0 || !existsSync(request.output)) {
    throw new BindingCompileError(request.compiler, lastLines(run.stderr || run.stdout, 12));
  }
}
