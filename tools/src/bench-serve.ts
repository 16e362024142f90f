/**
 * `npm run bench:serve`: load on `siamwatch serve` as issue 13 states it: 4 runs x 8 ranks, each rank posting a
 * 64 x 64 float32 `.npy` sample (`world_size=8`, so 8 posts make one step and one monitor check) 10 times a second,
 * for 60 s (`--seconds` for shorter local checks), on loopback. The server is a separate process
 * (`siamwatch serve --port 0`). Each rank behaves like the Python client in a training loop: it posts on its
 * 10/s schedule, but never before its previous post was answered (so a slow server lowers the achieved rate,
 * which is printed). Every post's latency is measured and, as the baseline, a `GET /healthz` on the same
 * schedule (the HTTP floor of the same server under the same load).
 *
 * Afterwards it reads `siamwatch_serve_samples_total` from `/metrics`: the posts the server counted must equal
 * the posts it answered 2xx (nothing accepted is lost).
 *
 * Last line, exactly: `serve: <a>/<n> posts accepted, server counted <c>, lost <l>; post p50 <ms> ms p99 <ms> ms
 * (healthz p99 <ms> ms) at <r> posts/s of <asked> asked`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { encodeNpyHeader } from '@siamwatch/embedding-io';
import { positiveIntegerOption, quantile } from './bench-common/bench-options.ts';

const program = new Command()
  .name('bench-serve')
  .description('siamwatch serve under 4 runs x 8 ranks x 10 posts/s: accepted vs counted, p99 latency')
  .option('--seconds <n>', 'duration of the load', '60')
  .option('--runs <n>', 'runs', '4')
  .option('--ranks <n>', 'ranks per run', '8')
  .option('--rate <n>', 'posts per second per rank', '10')
  .option('--rows <n>', 'rows per post', '64')
  .option('--dim <n>', 'embedding dimension', '64')
  .parse();
const o = program.opts<Record<string, string>>();
const seconds = positiveIntegerOption('seconds', o['seconds'] ?? '60');
const runs = positiveIntegerOption('runs', o['runs'] ?? '4');
const ranks = positiveIntegerOption('ranks', o['ranks'] ?? '8');
const rate = positiveIntegerOption('rate', o['rate'] ?? '10');
const rows = positiveIntegerOption('rows', o['rows'] ?? '64');
const dim = positiveIntegerOption('dim', o['dim'] ?? '64');

const BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../apps/trainer/bin/siamwatch.js');
const TOKEN = 'bench-serve-token-0123456789';
const tokenFile = join(mkdtempSync(join(tmpdir(), 'bench-serve-')), 'token');
writeFileSync(tokenFile, TOKEN);

const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((ok, fail) => {
  let out = '';
  server.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m?.[1]) ok(m[1]);
  });
  server.on('exit', (code) => fail(new Error(`siamwatch serve exited with ${code}`)));
});

const bodies = Array.from({ length: 4 }, (_, k) => {
  const data = new Float32Array(rows * dim).map(() => Math.random() * 2 - 1 + k * 0.01);
  return Buffer.concat([encodeNpyHeader('<f4', rows, dim), Buffer.from(data.buffer)]);
});

const postLatency: number[] = [];
const healthLatency: number[] = [];
const statuses = new Map<number, number>();
let accepted = 0;
const inflight: Promise<void>[] = [];
const interval = 1000 / rate;
const steps = seconds * rate;
const t0 = performance.now() + 200;

async function postOnce(run: number, rank: number, step: number): Promise<void> {
  const started = performance.now();
  let status = 0;
  try {
    const res = await fetch(`${url}/v1/runs/bench-${run}/embeddings?step=${step}&total_steps=${steps}&output=backbone&rank=${rank}&world_size=${ranks}&loss=-0.5`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/x-npy' },
      body: bodies[(step + rank) % bodies.length],
    });
    await res.arrayBuffer();
    status = res.status;
  } catch {
    status = -1;
  }
  postLatency.push(performance.now() - started);
  statuses.set(status, (statuses.get(status) ?? 0) + 1);
  if (status >= 200 && status < 300) accepted += 1;
}

async function healthOnce(): Promise<void> {
  const started = performance.now();
  await (await fetch(`${url}/healthz`)).arrayBuffer();
  healthLatency.push(performance.now() - started);
}

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));
async function rankLoop(run: number, rank: number): Promise<void> {
  for (let step = 1; step <= steps; step++) {
    // Ranks of one step leave spread over the interval, like real ranks finishing at slightly different times.
    await sleepUntil(t0 + (step - 1) * interval + (rank * interval) / (2 * ranks));
    await postOnce(run, rank, step);
  }
}
for (let run = 0; run < runs; run++) for (let rank = 0; rank < ranks; rank++) inflight.push(rankLoop(run, rank));
for (let step = 1; step <= steps; step++) {
  await sleepUntil(t0 + (step - 1) * interval);
  inflight.push(healthOnce());
}
const elapsed = () => (performance.now() - t0) / 1000;
await Promise.all(inflight);
const wall = elapsed();

const metrics = await (await fetch(`${url}/metrics`)).text();
let counted = 0;
for (const line of metrics.split('\n')) {
  if (line.startsWith('siamwatch_serve_samples_total{') && /run="bench-\d+"/.test(line)) counted += Number(line.split(' ').at(-1)) / rows;
}
const checks = await Promise.all(Array.from({ length: runs }, async (_, r) => ((await (await fetch(`${url}/v1/runs/bench-${r}/decision`)).json()) as { checks: number }).checks));
server.kill('SIGTERM');

const total = runs * ranks * steps;
const ms = (x: number) => x.toFixed(1);
console.log(`load: ${runs} runs x ${ranks} ranks x ${rate} posts/s for ${seconds} s, ${rows} x ${dim} float32 per post (${bodies[0]?.length} bytes); load average ${loadavg()[0]?.toFixed(1)}`);
console.log(`statuses: ${[...statuses].map(([s, c]) => `${s}: ${c}`).join(', ')}; checks per run: ${checks.join(', ')} (of ${steps} steps)`);
console.log(`serve: ${accepted}/${total} posts accepted, server counted ${counted}, lost ${accepted - counted}; post p50 ${ms(quantile(postLatency, 0.5))} ms p99 ${ms(quantile(postLatency, 0.99))} ms (healthz p99 ${ms(quantile(healthLatency, 0.99))} ms) at ${(total / wall).toFixed(0)} posts/s of ${runs * ranks * rate} asked`);
