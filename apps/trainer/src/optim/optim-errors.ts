/** Typed errors of the optimizer and learning-rate schedule. */

/** An optimizer or schedule option outside its valid range; the message names the option and the value. */
export class OptimizerOptionError extends Error {
  override readonly name = 'OptimizerOptionError';

  constructor(option: string, value: unknown, expected: string) {
    super(`invalid ${option}=${JSON.stringify(value)}: expected ${expected}`);
  }
}

/** Optimizer state that does not fit the parameters (missing key or wrong shape). */
export class OptimizerStateError extends Error {
  override readonly name = 'OptimizerStateError';

  constructor(key: string, detail: string) {
    super(`optimizer state '${key}': ${detail}`);
  }
}
