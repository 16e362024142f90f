/**
 * The entry of one data-parallel replica (a worker thread): its own tfjs wasm instance with SiamWatch's kernels and
 * a replica of the SimSiam/BYOL model whose BN and gradients are reduced over replicas through the shared all-reduce
 * (see `createSiameseModel`'s `sync`). It answers the coordinator's requests in order (replica-protocol.ts).
 */
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../backend/resolve-backend.ts';
import { createSiameseModel, type SiameseModel } from '../model/siamese-model.ts';
import type { ReplicaInit, ReplicaReply, ReplicaRequest } from './replica-protocol.ts';
import { abortAllReduce, allReduceMember } from './shared-all-reduce.ts';

const init = workerData as ReplicaInit;
const replied = new Int32Array(init.replied);

function reply(message: ReplicaReply): void {
  init.port.postMessage(message);
  Atomics.add(replied, 0, 1);
  Atomics.notify(replied, 0);
}

function fail(error: unknown): void {
  abortAllReduce(init.allReduce);
  reply({ kind: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

function handle(model: SiameseModel, request: ReplicaRequest): void {
  switch (request.kind) {
    case 'step': {
      const x1 = tf.tensor4d(request.x1, request.shape);
      const x2 = tf.tensor4d(request.x2, request.shape);
      try {
        const { loss } = model.trainStep(x1, x2, request.lr);
        reply({ kind: 'step', loss, tensors: tf.memory().numTensors });
      } finally {
        tf.dispose([x1, x2]);
      }
      return;
    }
    case 'get-state':
      reply({ kind: 'state', state: model.getState() });
      return;
    case 'set-state':
      model.setState(request.state);
      reply({ kind: 'done' });
      return;
    case 'dispose':
      model.dispose();
      reply({ kind: 'done' });
      init.port.close();
      return;
  }
}

try {
  await resolveBackend('wasm');
  const model = createSiameseModel(init.config, init.seed, {
    weightDecay: init.weightDecay,
    sync: allReduceMember(init.allReduce, init.rank),
  });
  init.port.on('message', (request: ReplicaRequest) => {
    try {
      handle(model, request);
    } catch (error) {
      fail(error);
    }
  });
  reply({ kind: 'ready', paramCount: model.paramCount });
} catch (error) {
  fail(error);
}
