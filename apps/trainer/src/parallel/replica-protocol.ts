/**
 * The messages between the data-parallel coordinator (main thread) and its replica workers. The coordinator posts a
 * request on each replica's MessagePort and blocks on a shared counter (`Atomics.wait`) that the replica bumps after
 * posting its reply, then takes the reply with `receiveMessageOnPort`: the model contract is synchronous
 * (`trainStep` returns the loss), so no event-loop turn is needed on the main thread. Failures are typed: a bad
 * option or input (`DataParallelOptionError`), a replica that threw or stopped answering (`ReplicaFailedError`).
 */
import type { MessagePort } from 'node:worker_threads';
import type { TensorState } from '../optim/sgd.ts';
import type { ModelConfig } from '../model/model-config.ts';
import type { AllReduceBuffers } from './shared-all-reduce.ts';

/** What a replica worker is started with. */
export interface ReplicaInit {
  rank: number;
  config: ModelConfig;
  seed: number;
  weightDecay: number;
  allReduce: AllReduceBuffers;
  /** Int32 counter bumped (and notified) by the replica after each reply. */
  replied: SharedArrayBuffer;
  port: MessagePort;
}

/** A request to a replica: its share of a step's two views, its state, a new state, or shutting down. */
export type ReplicaRequest =
  | { kind: 'step'; x1: Float32Array; x2: Float32Array; shape: [number, number, number, number]; lr: { base: number; predictor?: number } }
  | { kind: 'get-state' }
  | { kind: 'set-state'; state: TensorState }
  | { kind: 'dispose' };

/** A replica's reply; `error` when the request failed. */
export type ReplicaReply =
  | { kind: 'ready'; paramCount: number }
  | { kind: 'step'; loss: number; tensors: number }
  | { kind: 'state'; state: TensorState }
  | { kind: 'done' }
  | { kind: 'error'; message: string };

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
