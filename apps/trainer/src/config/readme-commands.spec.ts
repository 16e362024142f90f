/**
 * Pins what every `npx siamwatch train` command of the README (and of docs/watch-a-run.md) resolves to, so a
 * change of defaults that silently changes what a documented command trains fails here, and the README's words
 * about each command (e.g. "all 60k MNIST images at 28x28") stay true.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerTrainCommand } from '../train/train-command.ts';
import { cliOptionsToConfig, type TrainCliOptions } from './cli-overrides.ts';
import { loadTrainConfig } from './train-config.ts';

const repoRoot = resolve(import.meta.dirname, '../../../..');

/** The arguments after `siamwatch train` of each documented command (comments and `--help`/`--resume` left out). */
function documentedCommands(file: string): string[][] {
  return readFileSync(join(repoRoot, file), 'utf8')
    .split('\n')
    .map((line) => /npx siamwatch train(.*)$/.exec(line)?.[1])
    .filter((rest): rest is string => rest !== undefined)
    .map((rest) => rest.replace(/#.*$/, '').trim().split(/\s+/).filter(Boolean))
    .filter((args) => !args.includes('--help') && !args.includes('--resume'));
}

async function resolveCommand(args: string[]) {
  const program = new Command().exitOverride();
  registerTrainCommand(program);
  let captured: TrainCliOptions | undefined;
  program.commands.find((c) => c.name() === 'train')!.action((options: TrainCliOptions) => {
    captured = options;
  });
  await program.parseAsync(['train', ...args], { from: 'user' });
  const config = loadTrainConfig({ overrides: cliOptionsToConfig(captured!) });
  return { dataset: config.dataset, epochs: config.epochs, steps: config.steps, backend: config.backend, workers: config.workers };
}

/** What each command trains on (`runs/...` output dirs are not part of the pin). */
const EXPECTED: Record<string, Record<string, unknown>> = {
  '--out runs/quickstart': { dataset: { name: 'mnist', imageSize: 14, maxTrain: 10000, fraction: 1 }, epochs: 8 },
  '--dataset mnist --epochs 4 --out runs/a --seed 1': { dataset: { name: 'mnist', fraction: 1 }, epochs: 4 },
  '--dataset synthetic --no-stop-gradient --out runs/collapse': { dataset: { name: 'synthetic', fraction: 1 }, epochs: 8 },
  '--metrics-port 9464 --monitor act --out runs/watched': { dataset: { name: 'mnist', imageSize: 14, maxTrain: 10000, fraction: 1 }, epochs: 8 },
  '--backend tensorflow --dataset synthetic --steps 60 --out runs/n': { dataset: { name: 'synthetic', fraction: 1 }, epochs: 8, steps: 60, backend: 'tensorflow' },
  '--monitor observe': { dataset: { name: 'mnist', imageSize: 14, maxTrain: 10000, fraction: 1 }, epochs: 8 },
};

describe('the documented train commands', () => {
  const commands = [...documentedCommands('README.md'), ...documentedCommands('docs/watch-a-run.md')];

  it('are all pinned here', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    expect(new Set(commands.map((c) => c.join(' ')))).toEqual(new Set(Object.keys(EXPECTED)));
  });

  for (const [line, expected] of Object.entries(EXPECTED)) {
    it(`siamwatch train ${line}`, async () => {
      const resolved = await resolveCommand(line.split(' '));
      expect(resolved).toEqual({ steps: undefined, backend: 'auto', workers: 1, ...expected });
    });
  }

  it('an explicit --dataset mnist uses the whole set at 28x28; without dataset flags the quick 14x14, 10k setting', async () => {
    expect((await resolveCommand(['--dataset', 'mnist'])).dataset).toEqual({ name: 'mnist', fraction: 1 });
    expect((await resolveCommand(['--fraction', '0.5'])).dataset).toEqual({ name: 'mnist', fraction: 0.5 });
    expect((await resolveCommand([])).dataset).toEqual({ name: 'mnist', fraction: 1, imageSize: 14, maxTrain: 10000 });
  });
});
