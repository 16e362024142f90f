/**
 * Errors of synchronous data parallelism: a bad option (worker count, batch not divisible), a replica that failed
 * or stopped answering, or an all-reduce whose length exceeds the shared buffer.
 */

/** A data-parallel option or input out of range; the message names the value. */
export class DataParallelOptionError extends Error {
  override readonly name = 'DataParallelOptionError';

  constructor(option: string, value: unknown, expected: string) {
    super(`data parallel: ${option} = ${JSON.stringify(value)}: expected ${expected}`);
  }
}

/** A replica worker failed (its error message included) or timed out. */
export class ReplicaFailedError extends Error {
  override readonly name = 'ReplicaFailedError';

  constructor(rank: number, detail: string) {
    super(`data parallel: replica ${rank} failed: ${detail}`);
  }
}
