/**
 * Synchronous data parallelism for SimSiam/BYOL on CPU (both cores: tfjs-backend-wasm has no threads under Node).
 * `createDataParallelModel` starts `workers` worker threads, each with its own wasm instance and a replica of the
 * model built from the same seed (identical initial weights). Each `trainStep` splits the batch: replica r gets rows
 * [r n/R, (r+1) n/R) of both views. Within the step the replicas
 *   - synchronise every training-mode BN layer (SyncBN): per-replica column sums of x, then of (x - mean)^2, are
 *     summed over replicas, so mean and biased variance are those of the whole batch per view; the running
 *     statistics use them with the whole count n (unbiased n/(n-1)); in the backward pass the column sums of dy and
 *     dy * xhat are summed over replicas before forming dX;
 *   - average the loss and every gradient (one all-reduce of all parameters), then each applies the same momentum-SGD
 *     step, so weights stay identical.
 * The result equals single-process training on the whole batch up to float32 summation order. The main thread
 * keeps a shadow model (same config) for `embed`, refreshed from replica 0 when weights changed.
 * With `workers: 1` the same machinery runs one replica (useful to compare against).
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { TensorState } from '../optim/sgd.ts';
import type { ModelConfig } from '../model/model-config.ts';
import { createSiameseModel } from '../model/siamese-model.ts';
import { DataParallelOptionError, ReplicaFailedError, type ReplicaInit, type ReplicaReply, type ReplicaRequest } from './replica-protocol.ts';
import { abortAllReduce, createAllReduceBuffers } from './shared-all-reduce.ts';

/** Options of `createDataParallelModel`: worker count (default 2), weight decay (5e-4), reply timeout (600 s). */
export interface DataParallelOptions {
  workers?: number;
  weightDecay?: number;
  timeoutMs?: number;
}

/** The `TrainableModel` contract of the trainer, plus the worker count and the replicas' tfjs tensor counts. */
export interface DataParallelModel {
  readonly workers: number;
  readonly paramCount: number;
  /** tfjs tensor count of each replica after its last step (flat across steps = no leak). */
  readonly replicaTensors: number[];
  trainStep(x1: tf.Tensor4D, x2: tf.Tensor4D, lr: { base: number; predictor?: number }): { loss: number };
  embed(x: tf.Tensor4D): { backbone: tf.Tensor2D; projector: tf.Tensor2D };
  getState(): TensorState;
  setState(state: TensorState): void;
  dispose(): void;
}

interface Replica {
  worker: Worker;
  port: MessagePort;
}

/** Starts the replicas (blocking until each has built its model) and returns the data-parallel model. */
export function createDataParallelModel(config: ModelConfig, seed: number, options: DataParallelOptions = {}): DataParallelModel {
  const workers = options.workers ?? 2;
  if (!Number.isInteger(workers) || workers < 1 || workers > 16) {
    throw new DataParallelOptionError('workers', workers, 'an integer in [1, 16]');
  }
  const weightDecay = options.weightDecay ?? 5e-4;
  const timeoutMs = options.timeoutMs ?? 600_000;
  const shadow = createSiameseModel(config, seed, { weightDecay });
  const params = Object.values(shadow.trainableVariables()).reduce((n, v) => n + v.size, 0);
  const allReduce = createAllReduceBuffers(workers, params + 1);
  const replied = new Int32Array(new SharedArrayBuffer(4));
  const replicas: Replica[] = [];
  // The replica runs TypeScript sources: its thread first registers tsx's ESM loader, then imports the entry
  // (`execArgv: ['--import', 'tsx']` is not honoured by worker threads on Node 20).
  const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./replica-worker.ts', import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); }).catch((e) => {` +
    ` const { workerData: d } = require('node:worker_threads'); d.port.postMessage({ kind: 'error', message: String(e && e.stack || e) });` +
    ` const c = new Int32Array(d.replied); Atomics.add(c, 0, 1); Atomics.notify(c, 0); })`;

  const waitReplies = (targets: Replica[]): ReplicaReply[] => {
    const replies: (ReplicaReply | undefined)[] = targets.map(() => undefined);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(replied, 0);
      targets.forEach((r, i) => {
        replies[i] ??= receiveMessageOnPort(r.port)?.message as ReplicaReply | undefined;
      });
      const failed = replies.findIndex((m) => m?.kind === 'error');
      if (failed >= 0) {
        abortAllReduce(allReduce);
        throw new ReplicaFailedError(failed, (replies[failed] as { message: string }).message);
      }
      if (replies.every((m) => m !== undefined)) {
        return replies as ReplicaReply[];
      }
      if (performance.now() > deadline) {
        abortAllReduce(allReduce);
        throw new ReplicaFailedError(replies.findIndex((m) => m === undefined), `no reply within ${timeoutMs} ms`);
      }
      Atomics.wait(replied, 0, seen, 200);
    }
  };
  const request = (message: ReplicaRequest | ((rank: number) => ReplicaRequest), only?: number): ReplicaReply[] => {
    const targets = only === undefined ? replicas : [replicas[only]!];
    targets.forEach((r, i) => {
      r.port.postMessage(typeof message === 'function' ? message(only ?? i) : message);
    });
    return waitReplies(targets);
  };

  for (let rank = 0; rank < workers; rank++) {
    const channel = new MessageChannel();
    const init: ReplicaInit = { rank, config, seed, weightDecay, allReduce, replied: replied.buffer as SharedArrayBuffer, port: channel.port2 };
    const worker = new Worker(bootstrap, { eval: true, workerData: init, transferList: [channel.port2] });
    worker.unref();
    replicas.push({ worker, port: channel.port1 });
  }
  try {
    waitReplies(replicas);
  } catch (error) {
    replicas.forEach((r) => void r.worker.terminate());
    shadow.dispose();
    throw error;
  }

  let stale = false;
  let replicaTensors: number[] = [];
  const getState = (): TensorState => (request({ kind: 'get-state' }, 0)[0] as { state: TensorState }).state;

  return {
    workers,
    paramCount: shadow.paramCount,
    get replicaTensors() {
      return replicaTensors;
    },
    trainStep(x1, x2, lr) {
      const n = x1.shape[0];
      if (n % workers !== 0 || n / workers < 2 || x2.shape[0] !== n) {
        throw new DataParallelOptionError('batch', n, `a multiple of workers (${workers}) with >= 2 rows per worker, equal for both views`);
      }
      const a = x1.dataSync() as Float32Array;
      const b = x2.dataSync() as Float32Array;
      const rows = n / workers;
      const rowSize = a.length / n;
      const shape: [number, number, number, number] = [rows, x1.shape[1], x1.shape[2], x1.shape[3]];
      const replies = request((rank) => ({
        kind: 'step',
        x1: a.slice(rank * rows * rowSize, (rank + 1) * rows * rowSize),
        x2: b.slice(rank * rows * rowSize, (rank + 1) * rows * rowSize),
        shape,
        lr,
      }));
      stale = true;
      replicaTensors = replies.map((r) => (r as { tensors: number }).tensors);
      return { loss: (replies[0] as { loss: number }).loss };
    },
    embed(x) {
      if (stale) {
        shadow.setState(getState());
        stale = false;
      }
      return shadow.embed(x);
    },
    getState,
    setState(state) {
      request({ kind: 'set-state', state });
      shadow.setState(state);
      stale = false;
    },
    dispose() {
      try {
        request({ kind: 'dispose' });
      } finally {
        replicas.forEach((r) => void r.worker.terminate());
        shadow.dispose();
      }
    },
  };
}
