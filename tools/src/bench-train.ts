/**
 * `npm run bench:train`: SimSiam training throughput of SiamWatch (TensorFlow.js: the native TensorFlow backend when
 * `@tensorflow/tfjs-node` loads, and the wasm backend in this thread and over 2 worker threads) and of PyTorch on
 * the CPU, for the same network (widths 32-64-128-128 on 28x28, batch 128, two views per image), in one run; the
 * last line uses the fastest SiamWatch configuration. PyTorch is looked for, never installed (see find-torch-python.ts). Prints the torch version compared against,
 * the tfjs tensor count and RSS before/after (flat = no leak) and, last, exactly
 * `train throughput: siamwatch <x> img/s, pytorch <y> img/s, ratio <r>` (r = siamwatch / pytorch).
 */
import { loadavg } from 'node:os';
import { Command } from 'commander';
import { DEFAULT_BENCH_OPTIONS, validateBenchOptions, type BenchOptions } from './bench-train/bench-options.ts';
import { findTorchPython, TORCH_HELP } from './bench-train/find-torch-python.ts';
import { kernelLines, memoryLine, throughputLine } from './bench-train/format-summary.ts';
import { measureSiamwatch } from './bench-train/measure-siamwatch.ts';
import { DEFAULT_SOAK_OPTIONS, runSoak } from './bench-train/memory-soak.ts';
import { runTorchBench } from './bench-train/run-torch-bench.ts';

const d = DEFAULT_BENCH_OPTIONS;
const program = new Command()
  .name('bench-train')
  .description('SimSiam training throughput: SiamWatch (tfjs native and wasm) vs PyTorch CPU on the same network')
  .option('--batch <n>', 'images per step (each as 2 views)', String(d.batch))
  .option('--steps <n>', 'timed steps', String(d.steps))
  .option('--warmup <n>', 'untimed warm-up steps', String(d.warmup))
  .option('--size <n>', 'image side (1 channel)', String(d.size))
  .option('--depth <n>', 'residual blocks per stage (0: plain CNN)', String(d.depth))
  .option('--width <x>', 'width multiplier of 16-32-64-64', String(d.width))
  .option('--torch-threads <n>', 'PyTorch threads (0: torch default)', String(d.torchThreads))
  .option('--no-torch', 'measure SiamWatch only')
  .option('--no-native', 'leave out the native TensorFlow backend (measured first when @tensorflow/tfjs-node loads)')
  .option('--workers <list>', 'SiamWatch configurations to measure: 1 = this thread, n >= 2 = data parallel over n worker threads', '1,2')
  .option('--profile', 'print a per-kernel breakdown of one SiamWatch step (tf.profile)', false)
  .option('--soak <steps>', 'memory soak instead: train STEPS steps of a small model (widths 8-16-32-32, batch 16) and judge tensor count and RSS')
  .option('--soak-every <n>', 'soak: sample tensor count and RSS every N steps', String(DEFAULT_SOAK_OPTIONS.every))
  .parse();

const raw = program.opts<Record<string, string | boolean>>();
const options: BenchOptions = validateBenchOptions({
  ...d,
  batch: Number(raw['batch']),
  steps: Number(raw['steps']),
  warmup: Number(raw['warmup']),
  size: Number(raw['size']),
  depth: Number(raw['depth']),
  width: Number(raw['width']),
  torchThreads: Number(raw['torchThreads']),
  torch: raw['torch'] !== false,
  profile: raw['profile'] === true,
});
const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

if (raw['soak'] !== undefined) {
  const steps = Number(raw['soak']);
  const every = Number(raw['soakEvery']);
  validateBenchOptions({ ...d, steps, batch: every });
  log(`bench:train --soak: ${steps} steps, widths 8-16-32-32, batch ${DEFAULT_SOAK_OPTIONS.batch} x 2 views, sample every ${every}`);
  const { verdict } = await runSoak({ ...DEFAULT_SOAK_OPTIONS, steps, every }, log);
  log(verdict.line);
  process.exit(verdict.flat ? 0 : 1);
}

const widths = [16, 32, 64, 64].map((c) => Math.max(1, Math.round(c * options.width))).join('-');
log(
  `bench:train: SimSiam, resnet widths ${widths}, depth ${options.depth}, ${options.size}x${options.size}x1, ` +
    `batch ${options.batch} x 2 views, ${options.warmup} warm-up + ${options.steps} timed steps`,
);
const load = (): string => loadavg().map((l) => l.toFixed(1)).join(' ');
log(`machine: load average ${load()} (figures are only comparable on an otherwise idle machine)`);

const workerCounts = String(raw['workers'])
  .split(',')
  .map((w) => Number(w.trim()));
workerCounts.forEach((w) => validateBenchOptions({ ...d, batch: w * 2 }));
const measured: { label: string; rate: number; params: number }[] = [];
const configs: { label: string; backend: 'wasm' | 'tensorflow'; workers: number }[] = [
  ...(raw['native'] === false ? [] : [{ label: 'native', backend: 'tensorflow' as const, workers: 1 }]),
  ...workerCounts.map((w) => ({ label: `wasm ${w}w`, backend: 'wasm' as const, workers: w })),
];
for (const { label, backend, workers } of configs) {
  let ours;
  try {
    ours = await measureSiamwatch(options, log, workers, backend);
  } catch (error) {
    if (backend !== 'tensorflow') throw error;
    log(`siamwatch native: not measured: ${(error as Error).message} (npm run native:install builds it)`);
    continue;
  }
  const tag = `siamwatch ${label}`;
  const what = backend === 'tensorflow' ? `${ours.backendDetail}, 1 process` : workers > 1 ? `wasm in ${workers} worker threads (data parallel, SyncBN)` : ours.backendDetail;
  log(`${tag}: ${what}; ${ours.params} trainable parameters; ${ours.secondsPerStep.toFixed(2)} s/step, ${ours.imagesPerSecond.toFixed(1)} img/s`);
  log(memoryLine(ours).replace(/^siamwatch/, tag));
  if (ours.kernels.length > 0) {
    log(`${tag}: kernel time of one step (tf.profile):`);
    kernelLines(ours.kernels).forEach(log);
  }
  measured.push({ label, rate: ours.imagesPerSecond, params: ours.params });
}
const best = measured.reduce((a, b) => (b.rate > a.rate ? b : a));
if (measured.length > 1) {
  log(`siamwatch: ${measured.map((m) => `${m.label} ${m.rate.toFixed(1)} img/s`).join(', ')}`);
}
log(`siamwatch: best configuration ${best.label}, used in the last line`);

let torchRate: number | null = null;
if (options.torch) {
  const search = findTorchPython();
  search.tried.forEach((t) => log(`pytorch: tried ${t}`));
  if (search.found === null) {
    log(TORCH_HELP);
  } else {
    const theirs = runTorchBench(search.found.python, options);
    log(
      `pytorch: comparing against torch ${theirs.torch} (${search.found.python}), ${theirs.threads} threads, ` +
        `${theirs.params} trainable parameters; ${theirs.secondsPerStep.toFixed(2)} s/step, loss ${theirs.loss.toFixed(4)}`,
    );
    if (theirs.params !== best.params) {
      log(`pytorch: WARNING parameter counts differ (siamwatch ${best.params}, pytorch ${theirs.params})`);
    }
    torchRate = theirs.imagesPerSecond;
    measured.forEach((m) => log(`ratio siamwatch ${m.label} / pytorch: ${(m.rate / torchRate!).toFixed(3)}`));
  }
}
log(`machine: load average ${load()} at the end`);
log(throughputLine(best.rate, torchRate));
