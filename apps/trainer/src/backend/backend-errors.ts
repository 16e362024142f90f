/**
 * Typed errors of the backend layer: an explicitly chosen TensorFlow.js backend that cannot be loaded, and a kernel
 * that a replacement kernel needs but the backend does not register.
 */

/** An explicitly requested backend (or every candidate of `auto`) could not be loaded; the message says why. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  readonly backend: string;
  readonly reason: string;

  constructor(backend: string, reason: string) {
    super(`backend '${backend}' is unavailable: ${reason}`);
    this.backend = backend;
    this.reason = reason;
  }
}

/** A backend choice outside `auto | tensorflow-gpu | tensorflow | wasm | cpu`. */
export class UnknownBackendError extends Error {
  override readonly name = 'UnknownBackendError';

  constructor(choice: unknown) {
    super(`unknown backend '${String(choice)}': expected auto, tensorflow-gpu, tensorflow, wasm or cpu`);
  }
}

/** A replacement kernel tried to call a kernel that the backend does not register. */
export class KernelMissingError extends Error {
  override readonly name = 'KernelMissingError';

  constructor(kernelName: string, backendName: string) {
    super(`kernel '${kernelName}' is not registered for backend '${backendName}'`);
  }
}

/** A replacement kernel received attributes it does not support (e.g. NCHW data format). */
export class KernelAttributeError extends Error {
  override readonly name = 'KernelAttributeError';

  constructor(kernelName: string, attribute: string, value: unknown) {
    super(`kernel '${kernelName}' does not support ${attribute}=${JSON.stringify(value)}`);
  }
}
