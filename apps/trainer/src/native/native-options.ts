/**
 * Flags and environment of `npm run native:install` and their defaults. Flags win over the environment.
 *
 * | flag | environment | default |
 * |---|---|---|
 * | `--tf-version V` | `SIAMWATCH_TF_WHEEL_VERSION` | `2.21.0` (the wheel measured on the reference machine) |
 * | `--tf-package NAME` | `SIAMWATCH_TF_WHEEL_PACKAGE` | `tensorflow-cpu` (`tensorflow` with `--gpu`: the CUDA-enabled Linux build) |
 * | `--wheel FILE` | `SIAMWATCH_TF_WHEEL` | none: pip downloads the wheel |
 * | `--tf-lib-dir DIR` | `SIAMWATCH_TF_LIB_DIR` | none: use a wheel |
 * | `--python PATH` | `SIAMWATCH_PYTHON` | `python3` |
 * | `--cxx PATH` | `CXX` | `g++` |
 * | `--gpu` | | off: build `@tensorflow/tfjs-node` |
 * | `--force` | | off: reuse a matching build |
 */
import { Command } from 'commander';
import { NativeOptionError } from './native-errors.ts';
import type { NativeInstallOptions } from './native-install.ts';

/** The pinned TensorFlow wheel version. */
export const DEFAULT_TF_VERSION = '2.21.0';

const VERSION = /^\d+\.\d+(\.\d+)?([a-z]+\d+)?$/;
const DISTRIBUTION = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

type Parsed = Omit<NativeInstallOptions, 'workspaceRoot' | 'trainerDir' | 'log'>;

function pick(flag: unknown, env: string | undefined): string | undefined {
  if (typeof flag === 'string' && flag !== '') return flag;
  return env !== undefined && env !== '' ? env : undefined;
}

/** Parses `argv` (without node and script) and `env`; throws `NativeOptionError` naming a bad value. */
export function parseNativeOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Parsed {
  const program = new Command()
    .name('native:install')
    .description('Build the native TensorFlow backend (@tensorflow/tfjs-node) from a TensorFlow pip wheel')
    .option('--tf-version <v>', `TensorFlow wheel version (env SIAMWATCH_TF_WHEEL_VERSION, default ${DEFAULT_TF_VERSION})`)
    .option('--tf-package <name>', 'wheel distribution (env SIAMWATCH_TF_WHEEL_PACKAGE; default tensorflow-cpu, tensorflow with --gpu)')
    .option('--wheel <file>', 'use this wheel file instead of pip download (env SIAMWATCH_TF_WHEEL)')
    .option('--tf-lib-dir <dir>', 'link against this TensorFlow C library instead (e.g. a GPU build; env SIAMWATCH_TF_LIB_DIR)')
    .option('--python <path>', 'Python whose pip downloads the wheel (env SIAMWATCH_PYTHON, default python3)')
    .option('--cxx <path>', 'C++ compiler (env CXX, default g++)')
    .option('--gpu', 'build @tensorflow/tfjs-node-gpu (CUDA) instead of @tensorflow/tfjs-node', false)
    .option('--force', 'rebuild even when a matching build exists', false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .parse([...argv], { from: 'user' });
  const raw = program.opts<Record<string, unknown>>();
  const gpu = raw['gpu'] === true;
  const version = pick(raw['tfVersion'], env['SIAMWATCH_TF_WHEEL_VERSION']) ?? DEFAULT_TF_VERSION;
  if (!VERSION.test(version)) {
    throw new NativeOptionError('TensorFlow wheel version (--tf-version / SIAMWATCH_TF_WHEEL_VERSION)', version, 'a version like 2.21.0');
  }
  const distribution = pick(raw['tfPackage'], env['SIAMWATCH_TF_WHEEL_PACKAGE']) ?? (gpu ? 'tensorflow' : 'tensorflow-cpu');
  if (!DISTRIBUTION.test(distribution)) {
    throw new NativeOptionError('wheel distribution (--tf-package / SIAMWATCH_TF_WHEEL_PACKAGE)', distribution, 'a pip project name like tensorflow-cpu');
  }
  const wheel = pick(raw['wheel'], env['SIAMWATCH_TF_WHEEL']);
  const tfLibDir = pick(raw['tfLibDir'], env['SIAMWATCH_TF_LIB_DIR']);
  if (wheel !== undefined && tfLibDir !== undefined) {
    throw new NativeOptionError('combination --wheel + --tf-lib-dir', `${wheel} + ${tfLibDir}`, 'one source of the TensorFlow library');
  }
  return {
    gpu,
    version,
    distribution,
    ...(wheel !== undefined ? { wheel } : {}),
    ...(tfLibDir !== undefined ? { tfLibDir } : {}),
    python: pick(raw['python'], env['SIAMWATCH_PYTHON']) ?? 'python3',
    compiler: pick(raw['cxx'], env['CXX']) ?? 'g++',
    force: raw['force'] === true,
  };
}
