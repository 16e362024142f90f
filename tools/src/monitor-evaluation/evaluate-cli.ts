/**
 * `npm run monitor:evaluate -- [run folders...] [--corpus docs/monitor-corpus/continuum.json]`: with run folders
 * (grid outputs such as runs/continuum and runs/continuum-arms), first rewrites the committed corpus file from
 * them; then evaluates the monitor on the corpus file and writes docs/monitor-evaluation.{md,json} and the
 * shipped calibration libs/monitor/calibration/default.json, all atomically. Without run folders it re-evaluates
 * the committed corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { writeFileAtomicSync as writeFileAtomic } from '@siamwatch/embedding-io';
import { corpusFromRunDirectories, readCorpusFile } from './corpus-file.ts';
import { evaluationJson, evaluationMarkdown } from './evaluation-report.ts';
import { evaluateMonitor, type MonitorEvaluation } from './monitor-evaluation.ts';

/** Parsed options of the command. */
export interface EvaluateCliOptions {
  roots: string[];
  corpus: string;
  doc: string;
  json: string;
  calibration: string;
  notes: string;
  folds: number;
  createdAt?: string;
  ablations: boolean;
}

/** Parses the command line (`argv` as `process.argv`). */
export function parseEvaluateArgs(argv: readonly string[]): EvaluateCliOptions {
  const program = new Command()
    .name('monitor:evaluate')
    .description('evaluate the collapse monitor on the continuum corpus, held out by setting, and refit its calibration')
    .argument('[runs...]', 'run folders to (re)build the corpus file from')
    .option('--corpus <file>', 'corpus file (written from the run folders when given, else read)', 'docs/monitor-corpus/continuum.json')
    .option('--doc <file>', 'markdown to write', 'docs/monitor-evaluation.md')
    .option('--json <file>', 'JSON figures to write', 'docs/monitor-evaluation.json')
    .option('--calibration <file>', 'calibration to write (fitted on every continuum run)', 'libs/monitor/calibration/default.json')
    .option('--notes <file>', 'hand-written paragraphs for "What the data show"', 'docs/monitor-corpus/notes.md')
    .option('--folds <n>', 'folds by setting', (v) => Number.parseInt(v, 10), 10)
    .option('--created-at <iso>', 'timestamp written into the outputs (default now)')
    .option('--no-ablations', 'skip the feature ablations')
    .exitOverride()
    .parse([...argv]);
  const o = program.opts<Omit<EvaluateCliOptions, 'roots'>>();
  return { roots: program.args, ...o };
}

/** Runs the command; returns the evaluation. */
export function runEvaluateCli(argv: readonly string[]): MonitorEvaluation {
  const options = parseEvaluateArgs(argv);
  if (options.roots.length > 0) {
    const { corpus, skipped } = corpusFromRunDirectories(options.roots);
    for (const s of skipped) process.stderr.write(`skipped ${s.id}: ${s.reason}\n`);
    writeFileAtomic(options.corpus, `${JSON.stringify(corpus)}\n`);
    process.stdout.write(`corpus: ${corpus.runs.length} runs -> ${options.corpus}\n`);
  }
  const corpus = readCorpusFile(options.corpus);
  const createdAt = options.createdAt ?? new Date().toISOString();
  const evaluation = evaluateMonitor(corpus, { folds: options.folds, createdAt, ablations: options.ablations });
  const commands = [...corpus.commands, `npm run monitor:evaluate -- ${options.roots.length > 0 ? options.roots.join(' ') : `--corpus ${options.corpus}`}`];
  const notes = existsSync(options.notes) ? readFileSync(options.notes, 'utf8').trim().split(/\n{2,}/) : [];
  writeFileAtomic(options.json, `${JSON.stringify(evaluationJson(evaluation, commands), null, 2)}\n`);
  writeFileAtomic(options.doc, evaluationMarkdown(evaluation, commands, notes, createdAt));
  writeFileAtomic(options.calibration, `${JSON.stringify(evaluation.calibration, null, 1)}\n`);
  const half = evaluation.forecast.find((s) => s.progress === 0.5)!;
  const onset = evaluation.onset[0];
  process.stdout.write(
    `held out by setting at half: MAE ${half.mae.toFixed(2)} pp (constant ${half.constantBaselineMae.toFixed(2)}, AUC only ${half.aucOnlyBaselineMae.toFixed(2)}), ` +
      `Spearman ${half.spearman.toFixed(2)}, coverage 80% ${half.coverage80.toFixed(2)} 90% ${half.coverage90.toFixed(2)} over ${half.runs} runs\n` +
      `onset: ${onset.falsePositives}/${onset.healthyRuns} false positives, ${onset.detected}/${onset.collapseProneRuns} collapse-prone detected, median delay ${onset.medianDelaySteps} steps\n` +
      `-> ${options.doc}, ${options.json}, ${options.calibration}\n`,
  );
  return evaluation;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    runEvaluateCli(process.argv);
  } catch (error) {
    const e = error as Error & { code?: string };
    if (e.code === 'commander.helpDisplayed') process.exit(0);
    process.stderr.write(`monitor:evaluate: ${e.name}: ${e.message}\n`);
    process.exit(2);
  }
}
