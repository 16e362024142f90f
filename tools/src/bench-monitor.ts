/**
 * `npm run bench:monitor`: what the collapse monitor of `siamwatch train --monitor observe` costs, in one run.
 *
 * One real training run (SimSiam, MLP backbone on synthetic images, wasm backend) with the real monitor extension
 * attached (its defaults: K = totalSteps / 40, a fixed subset of 256 training images embedded in inference mode at
 * every check, no wall-time governor: a check at every K-th step). Its step hook is switched on and off in alternating blocks of steps, so
 * load changes on this shared machine hit both alike. Step time = wall time between consecutive step events. The
 * monitor's cost comes in spikes (a check every K steps), so the overhead is mean on / mean off - 1; the median is
 * printed too. Also: checks run, mean cost of a check (embedding + spectra + forecast + decision) and of the
 * per-step `observe`.
 *
 * Last line, exactly: `monitor overhead: <p>% of step time (K <k>, <n> checks, <ms> ms per check)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { captureExtensionHooks, inOnBlock } from './bench-common/captured-extensions.ts';
import { BenchOptionError, positiveIntegerOption } from './bench-common/bench-options.ts';
import { autoCheckEvery, createTrainer, parseTrainConfig, silentLogger } from 'siamwatch';

const program = new Command()
  .name('bench-monitor')
  .description('Collapse monitor cost: step time with the monitor on vs off in one training run')
  .option('--steps <n>', 'training steps (the first block is warm-up)', '800')
  .option('--block <n>', 'steps per on/off block', '40')
  .option('--width <n>', 'MLP backbone width (features d)', '64')
  .option('--image-size <n>', 'synthetic image side', '8')
  .parse();
const opts = program.opts<{ steps: string; block: string; width: string; imageSize: string }>();

const positive = positiveIntegerOption;
const steps = positive('steps', opts.steps);
const block = positive('block', opts.block);
const width = positive('width', opts.width);
const imageSize = positive('image-size', opts.imageSize);
if (steps < 4 * block) throw new BenchOptionError(`--steps ${steps} must cover at least 4 blocks of --block ${block}`);

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const dir = mkdtempSync(join(tmpdir(), 'siamwatch-bench-monitor-'));
const config = parseTrainConfig({
  dataset: { name: 'synthetic', imageSize, maxTrain: 2048, maxTest: 256 },
  backbone: { kind: 'mlp', depth: 1, width },
  batchSize: 64,
  steps,
  baseLr: 0.5,
  eval: { atStart: false, everyEpochs: 0, probeTrain: 256, probeTest: 256 },
  checkpoint: { everySteps: 0, everySeconds: 0 },
  backend: 'wasm',
  seed: 3,
  monitor: 'observe',
  out: join(dir, 'run'),
});
const trainer = createTrainer(config, { logger: silentLogger });

// Start the real monitor extension against a recorder, then gate its step hook by block.
const { hooks: captured, close } = await captureExtensionHooks(config, trainer);
const blockOf = (step: number) => Math.floor((step - 1) / block);
const isOn = (step: number) => inOnBlock(step, block);
const checkMs: number[] = [];
const observeMs: number[] = [];
let k = 0;
for (const hooks of captured) {
  trainer.addHooks({
    ...hooks,
    async onStart(event) {
      k = autoCheckEvery(event.totalSteps);
      await hooks.onStart?.(event);
    },
    async onStep(event) {
      if (!isOn(event.step)) return;
      const t0 = performance.now();
      await hooks.onStep?.(event);
      (event.step % k === 0 ? checkMs : observeMs).push(performance.now() - t0);
    },
  });
}
const intervals = { on: [] as number[], off: [] as number[] };
let last: number | undefined;
trainer.addHooks({
  onStep(event) {
    const now = performance.now();
    if (last !== undefined && blockOf(event.step) > 0 && blockOf(event.step - 1) === blockOf(event.step)) {
      (isOn(event.step) ? intervals.on : intervals.off).push(now - last);
    }
    last = now;
  },
});
const started = performance.now();
await trainer.run();
const seconds = (performance.now() - started) / 1000;
await close();
rmSync(dir, { recursive: true, force: true });

// Checks the governor skipped took observe-only time; count real checks by their cost.
const realChecks = checkMs.filter((ms) => ms > 5 * median(observeMs));
const overhead = (mean(intervals.on) / mean(intervals.off) - 1) * 100;
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${steps} steps in ${seconds.toFixed(1)} s; backbone d ${width}, projector d ${config.projectorDim}`);
console.log(`step time with the monitor on: mean ${mean(intervals.on).toFixed(2)} ms, median ${median(intervals.on).toFixed(2)} ms (${intervals.on.length} steps)`);
console.log(`step time with the monitor off: mean ${mean(intervals.off).toFixed(2)} ms, median ${median(intervals.off).toFixed(2)} ms (${intervals.off.length} steps)`);
console.log(`observe per step: median ${(median(observeMs) * 1000).toFixed(0)} us; check (embed 256 images + spectra + forecast + decision): mean ${mean(realChecks).toFixed(1)} ms over ${realChecks.length} checks (${checkMs.length - realChecks.length} due checks skipped by the governor)`);
console.log(`monitor overhead: ${overhead.toFixed(1)}% of step time (K ${k}, ${realChecks.length} checks, ${mean(realChecks).toFixed(1)} ms per check)`);
