/**
 * Measures the cost of `observe` (per step) and `check` (per K steps) on synthetic
 * embeddings, for docs/monitor.md. Not a test: timings depend on the machine.
 * Run from libs/monitor: `nice -n 10 npx tsx src/testing/bench-monitor.ts`.
 */
import { createMonitor } from '../monitor.ts';
import { createRandom } from '../random.ts';
import type { SamplingOptions } from '../sampling-options.ts';
import { healthyProfile, syntheticBatch } from './synthetic-stream.ts';

interface BenchRow {
  d: number;
  mode: string;
  observeUs: number;
  checkMs: number;
}

function bench(d: number, batch: number, sampling: Partial<SamplingOptions>, checkEvery: number, checks: number): BenchRow {
  const random = createRandom(1);
  const pool = Array.from({ length: 8 }, () => syntheticBatch(random, batch, d, healthyProfile(0.5, d)));
  const monitor = createMonitor({ checkEvery, sampling, maxOverhead: 1 });
  let observeMs = 0;
  let observeCalls = 0;
  const checkTimes: number[] = [];
  for (let step = 1; step <= checkEvery * checks; step++) {
    const data = pool[step % pool.length];
    monitor.observe({ step, loss: -0.5, backbone: { data, n: batch, d }, projector: { data, n: batch, d } });
    if (monitor.due(step)) {
      const c = monitor.check({ step, totalSteps: checkEvery * checks, regime: 'iid' });
      if (step > checkEvery) {
        observeMs += c.timing.observeMs;
        observeCalls += c.timing.observeCalls;
        checkTimes.push(c.timing.checkMs);
      }
    }
  }
  checkTimes.sort((a, b) => a - b);
  return {
    d,
    mode: sampling.mode === 'moments' ? `moments (${sampling.rowsPerBatch} rows/batch)` : `reservoir (${sampling.capacity} rows)`,
    observeUs: (1000 * observeMs) / observeCalls,
    checkMs: checkTimes[checkTimes.length >> 1],
  };
}

const rows: BenchRow[] = [];
for (const d of [64, 128, 512]) {
  rows.push(bench(d, 128, { mode: 'reservoir', capacity: 1024 }, 20, 12));
  rows.push(bench(d, 128, { mode: 'moments', rowsPerBatch: 64 }, 20, 12));
}
console.log('| d | sampling | observe per step (backbone + projector, batch 128) | check (median) |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.d} | ${r.mode} | ${r.observeUs.toFixed(0)} us | ${r.checkMs.toFixed(1)} ms |`);
