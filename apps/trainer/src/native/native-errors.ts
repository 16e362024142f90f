/**
 * Typed errors of `npm run native:install` (building the native TensorFlow backend from a TensorFlow pip wheel).
 * Each names what is missing or what failed, so the user can fix that one thing and re-run.
 */

/** Base class of every native-install failure. */
export class NativeInstallError extends Error {
  override readonly name: string = 'NativeInstallError';
}

/** A program the build needs (python with pip, a C++ compiler, npm) is not installed or does not run. */
export class MissingToolError extends NativeInstallError {
  override readonly name = 'MissingToolError';
  readonly tool: string;

  constructor(tool: string, command: string, reason: string, hint: string) {
    super(`${tool} is missing: '${command}' ${reason}. ${hint}`);
    this.tool = tool;
  }
}

/** pip could not fetch the TensorFlow wheel, or the given wheel file does not exist. */
export class WheelUnavailableError extends NativeInstallError {
  override readonly name = 'WheelUnavailableError';

  constructor(what: string, reason: string) {
    super(`TensorFlow wheel ${what} is unavailable: ${reason}`);
  }
}

/** A wheel (or `--tf-lib-dir`) lacks the TensorFlow C library or its headers. */
export class TensorflowLibraryError extends NativeInstallError {
  override readonly name = 'TensorflowLibraryError';

  constructor(source: string, missing: string) {
    super(`${source} does not hold the TensorFlow C library: ${missing} not found`);
  }
}

/** The `@tensorflow/tfjs-node(-gpu)` package (the binding's C++ sources) is not installed and could not be. */
export class BindingSourcesError extends NativeInstallError {
  override readonly name = 'BindingSourcesError';

  constructor(pkg: string, reason: string) {
    super(`${pkg} (the binding's C++ sources) is unavailable: ${reason}`);
  }
}

/** The C++ compiler failed on the binding sources. */
export class BindingCompileError extends NativeInstallError {
  override readonly name = 'BindingCompileError';

  constructor(compiler: string, output: string) {
    super(`${compiler} failed to compile the tfjs binding:\n${output}`);
  }
}

/** The installed binding does not load in a fresh Node process (nothing was left in place). */
export class NativeVerifyError extends NativeInstallError {
  override readonly name = 'NativeVerifyError';

  constructor(pkg: string, output: string) {
    super(`the built binding of ${pkg} does not load: ${output}`);
  }
}

/** A flag or environment value of the installer is invalid (names the value). */
export class NativeOptionError extends NativeInstallError {
  override readonly name = 'NativeOptionError';

  constructor(option: string, value: unknown, expected: string) {
    super(`invalid ${option} ${JSON.stringify(value)}: expected ${expected}`);
  }
}
