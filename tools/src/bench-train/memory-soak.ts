/**
 * `npm run bench:train -- --soak STEPS`: a memory soak of SiamWatch training. A small SimSiam CNN trains `steps`
 * steps at a small batch on the wasm backend; every `every` steps the tfjs tensor count and the process RSS are
 * sampled. The verdict: `flat` when the tensor count never changes and the RSS of the second half of the samples
 * either never exceeds the first half's peak (garbage collections swing RSS by tens of MB) or, fitted by least
 * squares, rises by less than `maxSlopeMbPer1000` MB per 1000 steps; else `growing` with the slope (the wasm heap
 * grows to its high-water mark during the first steps and never shrinks, so the first half is left out of the fit).
 */
import * as tf from '@tensorflow/tfjs';
import { createSiameseModel, resolveBackend } from 'siamwatch';

/** One sample of the soak. */
export interface SoakSample {
  step: number;
  tensors: number;
  rssMb: number;
}

/** The verdict of a soak: flat or growing, with the RSS slope fitted over the second half of the samples. */
export interface SoakVerdict {
  flat: boolean;
  tensorsFlat: boolean;
  rssSlopeMbPer1000: number;
  line: string;
}

/** Options of the soak: steps, sampling period, batch, the model's width multiplier and the RSS slope limit. */
export interface SoakOptions {
  steps: number;
  every: number;
  batch: number;
  size: number;
  width: number;
  maxSlopeMbPer1000: number;
}

/** The defaults: widths 8-16-32-32 on 28x28, batch 16, a sample every 250 steps, flat below 2 MB per 1000 steps. */
export const DEFAULT_SOAK_OPTIONS: Omit<SoakOptions, 'steps'> = { every: 250, batch: 16, size: 28, width: 0.5, maxSlopeMbPer1000: 2 };

/** Least-squares slope of y over x (0 with fewer than two distinct x). */
export function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/** Judges the samples (at least 2): tensor count constant, RSS slope of the second half below the limit. */
export function soakVerdict(samples: SoakSample[], maxSlopeMbPer1000: number): SoakVerdict {
  const tensorsFlat = samples.every((s) => s.tensors === samples[0]!.tensors);
  const half = samples.slice(Math.floor(samples.length / 2));
  const perStep = slope(
    half.map((s) => s.step),
    half.map((s) => s.rssMb),
  );
  const rssSlopeMbPer1000 = perStep * 1000;
  // RSS swings by tens of MB with V8's garbage collections: a second half that never exceeds the first half's peak
  // is flat whatever its fitted slope; otherwise the slope decides.
  const peak = (xs: SoakSample[]): number => Math.max(...xs.map((x) => x.rssMb));
  const firstHalf = samples.slice(0, Math.floor(samples.length / 2));
  const belowPeak = firstHalf.length > 0 && peak(half) <= peak(firstHalf);
  const flat = tensorsFlat && (rssSlopeMbPer1000 < maxSlopeMbPer1000 || belowPeak);
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const line =
    `soak verdict: ${flat ? 'flat' : 'GROWING'}; tensors ${first.tensors} -> ${last.tensors}` +
    `${tensorsFlat ? ' (constant)' : ' (changed)'}; RSS ${first.rssMb.toFixed(0)} -> ${last.rssMb.toFixed(0)} MB, ` +
    `slope over the second half ${rssSlopeMbPer1000.toFixed(2)} MB per 1000 steps (limit ${maxSlopeMbPer1000})`;
  return { flat, tensorsFlat, rssSlopeMbPer1000, line };
}

/** Runs the soak on the wasm backend, logging one line per sample and returning the samples and the verdict. */
export async function runSoak(options: SoakOptions, log: (line: string) => void): Promise<{ samples: SoakSample[]; verdict: SoakVerdict }> {
  await resolveBackend('wasm', log);
  const { size, batch } = options;
  const model = createSiameseModel(
    {
      method: 'simsiam',
      backbone: { kind: 'resnet', depth: 0, width: options.width },
      inputShape: [size, size, 1],
      projectorDim: 64,
      projectorHiddenDim: 64,
      predictorHiddenDim: 16,
      stopGradient: true,
      emaDecay: 0,
    },
    0,
    { weightDecay: 5e-4 },
  );
  const images = tf.randomUniform([batch, size, size, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
  const samples: SoakSample[] = [];
  const started = performance.now();
  try {
    for (let step = 1; step <= options.steps; step++) {
      const [x1, x2] = tf.tidy(() => [0, 1].map(() => tf.add(images, tf.randomNormal(images.shape, 0, 0.05)) as tf.Tensor4D));
      try {
        model.trainStep(x1!, x2!, { base: 0.05 });
      } finally {
        tf.dispose([x1!, x2!]);
      }
      if (step % options.every === 0 || step === options.steps) {
        const sample = { step, tensors: tf.memory().numTensors, rssMb: process.memoryUsage().rss / 2 ** 20 };
        samples.push(sample);
        const seconds = (performance.now() - started) / 1000;
        log(`soak: step ${step}/${options.steps}: tensors ${sample.tensors}, RSS ${sample.rssMb.toFixed(1)} MB, ${seconds.toFixed(0)} s`);
      }
    }
  } finally {
    images.dispose();
    model.dispose();
  }
  return { samples, verdict: soakVerdict(samples, options.maxSlopeMbPer1000) };
}
