/**
 * `npm run report -- runs/study [--backend tensorflow] [--quick] [--jobs 1] [--no-run] [--out docs/report] [--notes notes.md]`:
 * (re)runs the study grid through the experiment runner (resumable: finished runs are skipped, interrupted
 * ones resumed; progress on the terminal or one line per run in a log), then regenerates the report from the
 * run directories. In the background: `nohup nice -n 10 npm run report -- runs/study --backend tensorflow > runs/report.log 2>&1 &`
 * (one line per run with the ETA in the log).
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { namedGrid } from '../experiments/grids.ts';
import { createProgressReporter } from '../experiments/progress-reporter.ts';
import { runGrid } from '../experiments/run-grid.ts';
import { generateReport, type GeneratedReport } from './generate-report.ts';

/** Parsed options of the report command. */
export interface ReportCliOptions {
  runs: string;
  quick: boolean;
  jobs: number;
  run: boolean;
  out: string;
  grid: string;
  notes?: string;
  png: boolean;
  backend: string;
  /** Collapse-continuum corpus file for finding 3 (used when it exists). */
  corpus: string;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Parses the command line (`argv` as `process.argv`). */
export function parseReportArgs(argv: readonly string[]): ReportCliOptions {
  const program = new Command()
    .name('report')
    .description('rerun the study (resumable) and regenerate docs/report from its run directories')
    .argument('<runs>', 'run folder of the study, e.g. runs/study')
    .option('--quick', 'run the quick version of the grid (minutes)', false)
    .option('--jobs <n>', 'parallel training processes', positiveInt, 1)
    .option('--no-run', 'do not train: only regenerate from the finished runs')
    .option('--grid <name>', 'grid to run', 'study')
    .option('--out <dir>', 'report folder', 'docs/report')
    .option('--notes <file>', 'markdown paragraphs for the summary (what was run and what was not)')
    .option('--corpus <file>', 'collapse-continuum corpus for finding 3 (used when the file exists)', 'docs/monitor-corpus/continuum.json')
    .option('--no-png', 'skip the Chromium rendering of the PNGs')
    .option('--backend <name>', 'TensorFlow.js backend of the training runs (tensorflow = native, see docs/report/README.md)', 'wasm')
    .exitOverride()
    .parse([...argv]);
  const o = program.opts<{ quick: boolean; jobs: number; run: boolean; grid: string; out: string; notes?: string; png: boolean; backend: string; corpus: string }>();
  return { runs: program.args[0], ...o };
}

/** Runs the command. */
export async function runReportCli(argv: readonly string[]): Promise<GeneratedReport> {
  const o = parseReportArgs(argv);
  const grid = namedGrid(o.grid);
  const gridCommand = `npm run experiments -- --grid ${o.grid} --out ${o.runs} --jobs ${o.jobs} --backend ${o.backend}${o.quick ? ' --quick' : ''}`;
  if (o.run) {
    const write = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
    const manifest = await runGrid(grid, { out: o.runs, jobs: o.jobs, quick: o.quick, backend: o.backend, command: gridCommand, report: createProgressReporter({ tty: Boolean(process.stderr.isTTY), write }) });
    const failed = manifest.runs.filter((r) => r.status === 'failed');
    if (failed.length > 0) write(`${failed.length} runs failed (${failed.map((r) => r.id).join(', ')}); the report uses the finished ones`);
  }
  const notes = o.notes !== undefined && existsSync(o.notes) ? readFileSync(o.notes, 'utf8').trim().split(/\n{2,}/) : undefined;
  const report = await generateReport({
    roots: [o.runs],
    outDir: o.out,
    notes,
    ...(existsSync(o.corpus) ? { corpus: o.corpus } : {}),
    noPng: !o.png,
    commands: [
      `# one command: trains the runs that are missing (resumable), then regenerates the report`,
      `npm run report -- ${o.runs} --backend ${o.backend}${o.quick ? ' --quick' : ''}${o.notes ? ` --notes ${o.notes}` : ''}`,
      `# the same in two steps: the grid, then the report from the finished runs`,
      gridCommand,
      `npm run report -- ${o.runs} --no-run${o.notes ? ` --notes ${o.notes}` : ''}`,
    ],
  });
  for (const f of report.findings) process.stdout.write(`finding ${f.id} (${f.title}): ${f.verdict}: ${f.measured}\n`);
  process.stdout.write(`report: ${report.files.length} files in ${report.outDir}\n`);
  return report;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await runReportCli(process.argv);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.code === 'commander.helpDisplayed') process.exit(0);
    process.stderr.write(`report: ${e.name}: ${e.message}\n`);
    process.exit(2);
  }
}
