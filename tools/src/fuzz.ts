/**
 * `npm run fuzz [-- --runs <n>]`: the long mode of the reader fuzz specs. Runs every `*-fuzz.spec.ts`
 * of libs/embedding-io (.npy in memory and streamed, huge shapes, safetensors, JSON spectra, IDX) and
 * apps/trainer (checkpoints, the .npy dataset loader) with `SIAMWATCH_FUZZ_RUNS=<n>` cases per property
 * (default 15000: about 108,000 cases in all), one project after the other, then prints the cases
 * per property and the total. Exits 1 if any property failed (its counterexample is in the output).
 * In `npm test` the same specs run 300 cases per property.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { positiveIntegerOption } from './bench-common/bench-options.ts';
import { parseFuzzCases, totalFuzzCases } from './fuzz/fuzz-cases.ts';

const program = new Command()
  .name('fuzz')
  .description('Long fuzzing of every reader that takes outside bytes (fast-check)')
  .option('--runs <n>', 'cases per property', '15000')
  .parse();
const runs = positiveIntegerOption('runs', program.opts<{ runs: string }>().runs);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const projects = ['libs/embedding-io', 'apps/trainer'];

const started = Date.now();
let output = '';
let failed = false;
for (const project of projects) {
  const cwd = join(root, project);
  console.log(`fuzz: ${project}, ${runs} cases per property`);
  const result = spawnSync('npx', ['vitest', 'run', 'fuzz.spec'], {
    cwd,
    env: { ...process.env, SIAMWATCH_FUZZ_RUNS: String(runs), NO_COLOR: '1' },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const text = `${result.stdout}${result.stderr}`;
  process.stdout.write(text.length > 20_000 ? `${text.slice(0, 10_000)}\n...\n${text.slice(-10_000)}` : text);
  output += text;
  if (result.status !== 0) failed = true;
}
const cases = parseFuzzCases(output);
for (const [name, count] of cases) console.log(`  ${name}: ${count} cases`);
const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`fuzz: ${totalFuzzCases(cases)} cases in ${cases.size} properties, ${seconds} s, ${failed ? 'FAILED' : 'no untyped error'}`);
process.exitCode = failed ? 1 : 0;
