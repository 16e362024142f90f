import { MonitorError, describeValue } from './monitor-error.ts';

/** The non-contrastive method a run trains: its loss has a different range and floor. */
export type SslMethod = 'simsiam' | 'byol';

/** The methods the monitor knows. */
export const SSL_METHODS: readonly SslMethod[] = ['simsiam', 'byol'];

/**
 * The loss of a method at complete collapse (both views map to the same point, cosine 1):
 * SimSiam's symmetrised negative cosine, in [-1, 1], has its floor at -1; BYOL's normalised
 * MSE `2 - 2 cos`, in [0, 4], has its floor at 0.
 */
export function lossFloorOf(method: SslMethod): number {
  return method === 'byol' ? 0 : -1;
}

/** Loss units per unit of `1 - cos`: 1 for SimSiam (`-cos`), 2 for BYOL (`2 - 2 cos`). */
export function lossScaleOf(method: SslMethod): number {
  return method === 'byol' ? 2 : 1;
}

/**
 * The loss as the distance of the two views from complete agreement, `1 - cos` in [0, 2], the
 * same quantity for both methods (0 at complete collapse): `(loss - floor) / scale`.
 */
export function cosineGapOf(loss: number, method: SslMethod): number {
  return (loss - lossFloorOf(method)) / lossScaleOf(method);
}

/** Validates a method name (a `MonitorError('invalid-option')` names a bad value); undefined reads as SimSiam. */
export function resolveMethod(method: unknown): SslMethod {
  if (method === undefined) return 'simsiam';
  if (method !== 'simsiam' && method !== 'byol') {
    throw new MonitorError('invalid-option', `method must be one of ${SSL_METHODS.join(', ')}, got ${describeValue(method)}`);
  }
  return method;
}
