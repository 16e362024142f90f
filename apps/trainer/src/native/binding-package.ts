/**
 * The npm package whose binding is built: `@tensorflow/tfjs-node` (CPU) or `@tensorflow/tfjs-node-gpu` (CUDA). It
 * ships the binding's C++ sources and looks for the compiled addon at the path node-pre-gyp computes
 * (`lib/napi-v<N>/tfjs_binding.node`). When it is not installed (npm drops the optional dependency when its own
 * install script cannot download libtensorflow), it is installed with `--ignore-scripts --no-save`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BindingSourcesError } from './native-errors.ts';
import { lastLines, runTool } from './run-tool.ts';

/** The CPU and GPU packages; both use the same binding sources. */
export type BindingPackageName = '@tensorflow/tfjs-node' | '@tensorflow/tfjs-node-gpu';

/** An installed binding package and where its addon must go. */
export interface BindingPackage {
  name: BindingPackageName;
  version: string;
  dir: string;
  /** Absolute path of `tfjs_binding.node` the package loads. */
  bindingPath: string;
  /** N-API version of that path (`napi-v<N>`). */
  napiVersion: number;
}

interface PreGyp {
  find(packageJson: string): string;
}

/** Finds `name` as resolved from `fromDir` (the trainer), or null when it is not installed. */
export function locatePackage(name: BindingPackageName, fromDir: string): BindingPackage | null {
  let packageJson: string;
  try {
    packageJson = createRequire(join(fromDir, 'package.json')).resolve(`${name}/package.json`);
  } catch {
    return null;
  }
  const dir = dirname(packageJson);
  const version = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  let preGyp: PreGyp;
  try {
    preGyp = createRequire(packageJson)('@mapbox/node-pre-gyp') as PreGyp;
  } catch (error) {
    throw new BindingSourcesError(name, `its dependency @mapbox/node-pre-gyp does not load (${(error as Error).message.split('\n')[0]})`);
  }
  const bindingPath = preGyp.find(packageJson);
  const napi = /napi-v(\d+)/.exec(bindingPath);
  return { name, version, dir, bindingPath, napiVersion: napi === null ? 8 : Number(napi[1]) };
}

/** The `@tensorflow/tfjs` version the trainer uses: the binding package must have the same one. */
export function tfjsVersion(fromDir: string): string {
  const packageJson = createRequire(join(fromDir, 'package.json')).resolve('@tensorflow/tfjs/package.json');
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

/** Returns the installed package, installing `name@version` (scripts off, not saved) at `workspaceRoot` if missing. */
export function ensurePackage(
  name: BindingPackageName,
  version: string,
  workspaceRoot: string,
  fromDir: string,
  log: (line: string) => void,
): BindingPackage {
  const found = locatePackage(name, fromDir);
  if (found !== null && found.version === version && existsSync(join(found.dir, 'binding'))) {
    return found;
  }
  const spec = `${name}@${version}`;
  log(`native: installing ${spec} without its install script (npm install --no-save --ignore-scripts)`);
  const run = runTool('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', spec], {
    tool: 'npm',
    hint: 'run this from a Node.js installation that has npm',
    cwd: workspaceRoot,
  });
  if (run.status !== 0) {
    throw new BindingSourcesError(spec, `npm install failed:\n${lastLines(run.stderr)}`);
  }
  const installed = locatePackage(name, fromDir);
  if (installed === null || installed.version !== version) {
    throw new BindingSourcesError(spec, `npm install succeeded but ${fromDir} resolves ${installed === null ? 'nothing' : installed.version}`);
  }
  return installed;
}
