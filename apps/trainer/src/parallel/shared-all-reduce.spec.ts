import { describe, expect, it } from 'vitest';
import { DataParallelOptionError, ReplicaFailedError } from './replica-protocol.ts';
import { abortAllReduce, allReduceMember, createAllReduceBuffers } from './shared-all-reduce.ts';

describe('shared-memory all-reduce', () => {
  it('returns a copy of the input for a single replica', () => {
    const member = allReduceMember(createAllReduceBuffers(1, 4), 0);
    const input = Float32Array.of(1, 2, 3);
    const out = member.sum(input);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    expect(out).not.toBe(input);
    expect(member.replicas).toBe(1);
  });

  it('rejects bad sizes and ranks with a DataParallelOptionError naming the value', () => {
    expect(() => createAllReduceBuffers(0, 4)).toThrow(/replicas = 0/);
    expect(() => createAllReduceBuffers(2, 0)).toThrow(DataParallelOptionError);
    const buffers = createAllReduceBuffers(2, 4);
    expect(() => allReduceMember(buffers, 2)).toThrow(/rank = 2/);
    expect(() => allReduceMember(buffers, 0).sum(new Float32Array(5))).toThrow(/length = 5/);
  });

  it('makes a waiting replica throw once the group is aborted', () => {
    const buffers = createAllReduceBuffers(2, 4);
    const member = allReduceMember(buffers, 0);
    abortAllReduce(buffers);
    // With the other replica gone, the barrier must not wait forever: the abort flag turns it into an error.
    expect(() => member.sum(Float32Array.of(1))).toThrow(ReplicaFailedError);
  });
});
