/**
 * An all-reduce (sum) between replicas running in different worker threads, over one SharedArrayBuffer: replica r
 * writes its vector to slot r, all wait at a barrier, each sums the slots in rank order 0..R-1 (so every replica gets
 * bit-identical results, which keeps their weights identical), and all wait at a second barrier before the slots may
 * be reused. The barrier is a generation counter with `Atomics.wait`/`notify`; an abort flag set by a failing
 * replica (or the coordinator) makes the others throw instead of waiting forever.
 */
import { DataParallelOptionError, ReplicaFailedError } from './replica-protocol.ts';
import type { ReplicaSync } from '../model/module-types.ts';

const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2;
const CONTROL_INTS = 4;

/** The shared memory of an all-reduce group: `replicas` slots of `capacity` floats plus the barrier's counters. */
export interface AllReduceBuffers {
  replicas: number;
  capacity: number;
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer;
}

/** Allocates the buffers for `replicas` replicas exchanging vectors of at most `capacity` floats. */
export function createAllReduceBuffers(replicas: number, capacity: number): AllReduceBuffers {
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new DataParallelOptionError('replicas', replicas, 'an integer >= 1');
  }
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new DataParallelOptionError('capacity', capacity, 'an integer >= 1');
  }
  return {
    replicas,
    capacity,
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    slots: new SharedArrayBuffer(replicas * capacity * 4),
  };
}

/** Marks the group aborted and wakes every waiting replica (they throw `ReplicaFailedError`). */
export function abortAllReduce(buffers: AllReduceBuffers): void {
  const control = new Int32Array(buffers.control);
  Atomics.store(control, ABORTED, 1);
  Atomics.add(control, GENERATION, 1);
  Atomics.notify(control, GENERATION);
}

/** Replica `rank`'s handle on the group: a `ReplicaSync` whose `sum` blocks until every replica has contributed. */
export function allReduceMember(buffers: AllReduceBuffers, rank: number): ReplicaSync {
  const { replicas, capacity } = buffers;
  if (!Number.isInteger(rank) || rank < 0 || rank >= replicas) {
    throw new DataParallelOptionError('rank', rank, `an integer in [0, ${replicas})`);
  }
  const control = new Int32Array(buffers.control);
  const slots = new Float32Array(buffers.slots);
  const barrier = (): void => {
    const generation = Atomics.load(control, GENERATION);
    if (Atomics.add(control, ARRIVED, 1) === replicas - 1) {
      Atomics.store(control, ARRIVED, 0);
      Atomics.add(control, GENERATION, 1);
      Atomics.notify(control, GENERATION);
    } else {
      while (Atomics.load(control, GENERATION) === generation && Atomics.load(control, ABORTED) === 0) {
        Atomics.wait(control, GENERATION, generation, 1000);
      }
    }
    if (Atomics.load(control, ABORTED) !== 0) {
      throw new ReplicaFailedError(rank, 'another replica aborted the all-reduce');
    }
  };
  return {
    replicas,
    sum(values: Float32Array): Float32Array {
      const n = values.length;
      if (n > capacity) {
        throw new DataParallelOptionError('all-reduce length', n, `<= the buffer capacity ${capacity}`);
      }
      if (replicas === 1) {
        return Float32Array.from(values);
      }
      slots.set(values, rank * capacity);
      barrier();
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let total = 0;
        for (let r = 0; r < replicas; r++) {
          total += slots[r * capacity + i]!;
        }
        out[i] = total;
      }
      barrier();
      return out;
    },
  };
}
