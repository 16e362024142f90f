/**
 * `npm run bench:telemetry`: what the telemetry of `siamwatch train --metrics-port` costs, in one run.
 *
 * 1. Training step time with telemetry on vs off: one real training run (tiny SimSiam MLP on synthetic 8x8 images,
 *    wasm backend) with the real integrations attached, whose per-step telemetry is switched on and off in
 *    alternating blocks of steps (so load changes on this shared machine hit both alike). "On" = the telemetry step
 *    hook plus a Prometheus-like scrape of `/metrics` every 5 s; "off" = nothing. Step time = wall time between
 *    consecutive step events (the training step, every hook and the HTTP handling in between). Overhead = median on
 *    / median off - 1, plus the time spent inside the step hook (median, mean) as a share of step time (less noisy).
 * 2. `/metrics` latency under 50 scrapes/s: an open-loop client in a worker thread sends a bounded number of
 *    requests on a fixed 20 ms schedule to 127.0.0.1 (loopback only) and records each latency.
 *
 * Last line, exactly: `telemetry overhead: <p>% of step time; /metrics p99 <ms> ms at 50/s`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Command } from 'commander';
import { captureExtensionHooks, inOnBlock } from './bench-common/captured-extensions.ts';
import { BenchOptionError, positiveIntegerOption, quantile } from './bench-common/bench-options.ts';
import { createTrainer, parseTrainConfig, silentLogger } from 'siamwatch';

const program = new Command()
  .name('bench-telemetry')
  .description('Telemetry cost: step time with telemetry on vs off, /metrics latency at 50 scrapes/s')
  .option('--steps <n>', 'training steps (the first block is warm-up)', '600')
  .option('--block <n>', 'steps per on/off block', '25')
  .option('--scrapes <n>', 'requests of the /metrics latency phase', '250')
  .option('--rate <n>', 'requests per second of the latency phase', '50')
  .parse();
const opts = program.opts<{ steps: string; block: string; scrapes: string; rate: string }>();

const positive = positiveIntegerOption;
const steps = positive('steps', opts.steps);
const block = positive('block', opts.block);
const scrapes = positive('scrapes', opts.scrapes);
const rate = positive('rate', opts.rate);
if (steps < 4 * block) throw new BenchOptionError(`--steps ${steps} must cover at least 4 blocks of --block ${block}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}


const port = await freePort();
const dir = mkdtempSync(join(tmpdir(), 'siamwatch-bench-telemetry-'));
const config = parseTrainConfig({
  dataset: { name: 'synthetic', imageSize: 8, maxTrain: 2048, maxTest: 256 },
  backbone: { kind: 'mlp', depth: 1, width: 64 },
  batchSize: 64,
  steps,
  baseLr: 0.5,
  eval: { atStart: false, everyEpochs: 0, probeTrain: 256, probeTest: 256 },
  checkpoint: { everySteps: 0, everySeconds: 0 },
  backend: 'wasm',
  seed: 3,
  metricsPort: port,
  out: join(dir, 'run'),
});
const trainer = createTrainer(config, { logger: silentLogger });

// Start the real telemetry extension against a recorder, then gate its step hook.
const { hooks: captured, close } = await captureExtensionHooks(config, trainer);
const blockOf = (step: number) => Math.floor((step - 1) / block);
const isOn = (step: number) => inOnBlock(step, block);
const hookMs: number[] = [];
let lastScrape = 0;
for (const hooks of captured) {
  trainer.addHooks({
    ...hooks,
    async onStep(event) {
      if (!isOn(event.step)) return;
      const t0 = performance.now();
      await hooks.onStep?.(event);
      hookMs.push(performance.now() - t0);
      if (t0 - lastScrape > 5000) {
        lastScrape = t0;
        void fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
      }
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
const trainSeconds = (performance.now() - started) / 1000;

// /metrics latency from another thread: open loop, fixed schedule, bounded.
const clientCode = `
const { parentPort, workerData } = require('node:worker_threads');
(async () => {
  const { url, count, rate } = workerData;
  const latencies = [];
  const t0 = performance.now();
  const pending = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    pending.push(fetch(url).then((r) => r.text()).then((body) => { latencies.push(performance.now() - sent); return body.length; }));
  }
  const sizes = await Promise.all(pending);
  parentPort.postMessage({ latencies, bytes: sizes[0], seconds: (performance.now() - t0) / 1000 });
})();
`;
const client = new Worker(clientCode, { eval: true, workerData: { url: `http://127.0.0.1:${port}/metrics`, count: scrapes, rate } });
const scrape = await new Promise<{ latencies: number[]; bytes: number; seconds: number }>((done, fail) => {
  client.once('message', done);
  client.once('error', fail);
});
await client.terminate();
await close();
rmSync(dir, { recursive: true, force: true });

const onMedian = quantile(intervals.on, 0.5);
const offMedian = quantile(intervals.off, 0.5);
const overhead = (onMedian / offMedian - 1) * 100;
const hookMedian = quantile(hookMs, 0.5);
const hookMean = hookMs.reduce((a, b) => a + b, 0) / hookMs.length;
const p50 = quantile(scrape.latencies, 0.5);
const p99 = quantile(scrape.latencies, 0.99);
console.log(`load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}; ${steps} steps in ${trainSeconds.toFixed(1)} s`);
console.log(`step time median: telemetry on ${onMedian.toFixed(2)} ms (${intervals.on.length} steps), off ${offMedian.toFixed(2)} ms (${intervals.off.length} steps)`);
console.log(`step hook itself: median ${(hookMedian * 1000).toFixed(1)} us, mean ${(hookMean * 1000).toFixed(1)} us = ${((hookMean / onMedian) * 100).toFixed(3)}% of the median step`);
console.log(`/metrics: ${scrape.latencies.length} requests at ${rate}/s over ${scrape.seconds.toFixed(1)} s, ${scrape.bytes} bytes, p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
console.log(`telemetry overhead: ${overhead.toFixed(1)}% of step time; /metrics p99 ${p99.toFixed(1)} ms at ${rate}/s`);
