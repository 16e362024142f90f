/**
 * The SiamWatch side of the benchmark: resolves the backend (native TensorFlow, or wasm with the replacement
 * kernels), builds the SimSiam
 * model of `BenchOptions` and times full training steps (light augmentation of two views, forward, backward, SGD)
 * on fixed random images, recording the tfjs tensor count and process RSS after warm-up and at the end (flat memory
 * = no leak) and, optionally, a per-kernel time breakdown of one step from `tf.profile`.
 */
import * as tf from '@tensorflow/tfjs';
import { createDataParallelModel, createSiameseModel, resolveBackend } from 'siamwatch';
import type { BenchOptions } from './bench-options.ts';

/** Measured figures of the SiamWatch side. */
export interface SiamwatchBenchResult {
  backend: string;
  backendDetail: string;
  params: number;
  secondsPerStep: number;
  imagesPerSecond: number;
  loss: number;
  tensorsBefore: number;
  tensorsAfter: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  kernels: { name: string; ms: number; calls: number }[];
}

/** The same light augmentation as the PyTorch script: per-image brightness x(1 +- 0.3), noise 0.05, clip [0, 1]. */
function augment(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const scale = tf.add(1, tf.mul(0.3, tf.randomUniform([x.shape[0], 1, 1, 1], -1, 1)));
    return tf.clipByValue(tf.add(tf.mul(x, scale), tf.randomNormal(x.shape, 0, 0.05)), 0, 1) as tf.Tensor4D;
  });
}

const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

/**
 * Runs the SiamWatch measurement on `backend`; `log` receives progress lines. `workers` 0 or 1 trains in this thread
 * (wasm: one core; tensorflow: TensorFlow's intra-op threads use every core);
 * `workers` >= 2 trains with `createDataParallelModel` (replicas in worker threads, SyncBN, averaged gradients), and
 * the tensor counts reported are the replicas' (summed).
 */
export async function measureSiamwatch(
  options: BenchOptions,
  log: (line: string) => void,
  workers = 0,
  backend: 'wasm' | 'tensorflow' = 'wasm',
): Promise<SiamwatchBenchResult> {
  const resolved = await resolveBackend(backend, log);
  const tag = backend === 'tensorflow' ? 'siamwatch native' : workers <= 1 ? 'siamwatch 1w' : `siamwatch ${workers}w`;
  const config = {
    method: 'simsiam',
    backbone: { kind: 'resnet', depth: options.depth, width: options.width },
    inputShape: [options.size, options.size, 1] as [number, number, number],
    projectorDim: options.projectorDim,
    projectorHiddenDim: options.projectorHiddenDim,
    predictorHiddenDim: options.predictorHiddenDim,
    stopGradient: true,
    emaDecay: 0,
  } as const;
  const dp = workers <= 1 ? null : createDataParallelModel(config, 0, { workers, weightDecay: 5e-4 });
  const model = dp ?? createSiameseModel(config, 0, { weightDecay: 5e-4 });
  const tensors = (): number => (dp === null ? tf.memory().numTensors : dp.replicaTensors.reduce((a, b) => a + b, 0));
  const images = tf.randomUniform([options.batch, options.size, options.size, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const step = (): number => {
    const x1 = augment(images);
    const x2 = augment(images);
    try {
      return model.trainStep(x1, x2, { base: 0.05 }).loss;
    } finally {
      tf.dispose([x1, x2]);
    }
  };
  try {
    for (let i = 0; i < options.warmup; i++) {
      const t = performance.now();
      step();
      log(`${tag}: warm-up step ${i + 1}/${options.warmup}: ${((performance.now() - t) / 1000).toFixed(2)} s`);
    }
    const tensorsBefore = tensors();
    const rssBeforeMb = rssMb();
    let loss = Number.NaN;
    let total = 0;
    for (let i = 0; i < options.steps; i++) {
      const t = performance.now();
      loss = step();
      const dt = (performance.now() - t) / 1000;
      total += dt;
      log(`${tag}: step ${i + 1}/${options.steps}: ${dt.toFixed(2)} s, loss ${loss.toFixed(4)}, RSS ${rssMb().toFixed(0)} MB`);
    }
    const tensorsAfter = tensors();
    const rssAfterMb = rssMb();
    const kernels: SiamwatchBenchResult['kernels'] = [];
    if (options.profile && dp === null) {
      const profile = await tf.profile(() => {
        step();
      });
      const byName = new Map<string, { ms: number; calls: number }>();
      for (const k of profile.kernels) {
        const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
        entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
        entry.calls += 1;
        byName.set(k.name, entry);
      }
      kernels.push(...[...byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms));
    }
    return {
      backend: resolved.backend,
      backendDetail: resolved.attempts.at(-1)?.reason ?? resolved.backend,
      params: model.paramCount,
      secondsPerStep: total / options.steps,
      imagesPerSecond: (options.batch * options.steps) / total,
      loss,
      tensorsBefore,
      tensorsAfter,
      rssBeforeMb,
      rssAfterMb,
      kernels,
    };
  } finally {
    images.dispose();
    model.dispose();
  }
}
