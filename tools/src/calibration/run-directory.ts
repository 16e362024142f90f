/**
 * Reads finished `siamwatch train` run directories (config.json, summary.json, metrics.jsonl) for the
 * calibration fit, the monitor evaluation and the report. A run directory is a folder holding summary.json;
 * a root may be a run directory itself or a grid output folder (runs/NAME) whose children are runs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { TRAIN_SET_SIZES } from '../experiments/train-args.ts';

/** Raised when a run directory cannot be read; the message names the file. */
export class RunDirectoryError extends Error {
  override readonly name = 'RunDirectoryError';
}

type Json = Record<string, unknown>;

/** A finished run as read from disk. `group` comes from the id prefix (`group--...`) or the grid manifest. */
export interface RunRecord {
  id: string;
  group: string;
  dir: string;
  config: Json;
  summary: Json;
  /** Every parsed line of metrics.jsonl, in file order. */
  records: Json[];
}

function readJson(file: string): Json {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Json;
  } catch (error) {
    throw new RunDirectoryError(`cannot read JSON file "${file}": ${(error as Error).message}`);
  }
}

/** Reads one run directory. Throws {@link RunDirectoryError} naming a missing or malformed file. */
export function readRunDirectory(dir: string): RunRecord {
  const abs = resolve(dir);
  for (const file of ['config.json', 'summary.json', 'metrics.jsonl']) {
    if (!existsSync(join(abs, file))) throw new RunDirectoryError(`run directory "${abs}" has no ${file}`);
  }
  const records: Json[] = [];
  const lines = readFileSync(join(abs, 'metrics.jsonl'), 'utf8').split('\n');
  let last = lines.length - 1;
  while (last >= 0 && lines[last].trim() === '') last -= 1;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      records.push(JSON.parse(line) as Json);
    } catch {
      // a torn last line of a killed run is not an error; anything else is
      if (i !== last) throw new RunDirectoryError(`"${join(abs, 'metrics.jsonl')}" line ${i + 1} is not JSON: ${line.slice(0, 80)}`);
    }
  });
  const id = basename(abs);
  const group = id.includes('--') ? id.slice(0, id.indexOf('--')) : 'run';
  return { id, group, dir: abs, config: readJson(join(abs, 'config.json')), summary: readJson(join(abs, 'summary.json')), records };
}

/** Finished run directories under the given roots (each a run directory or a folder of them), sorted by id. */
export function findRunDirectories(roots: readonly string[]): string[] {
  const found: string[] = [];
  for (const root of roots) {
    const abs = resolve(root);
    if (!existsSync(abs)) throw new RunDirectoryError(`"${abs}" does not exist`);
    if (existsSync(join(abs, 'summary.json'))) {
      found.push(abs);
      continue;
    }
    for (const name of readdirSync(abs)) {
      const child = join(abs, name);
      if (statSync(child).isDirectory() && existsSync(join(child, 'summary.json'))) found.push(child);
    }
  }
  return found.sort((a, b) => basename(a).localeCompare(basename(b)));
}

/** Reads every finished run under the roots. */
export function readRuns(roots: readonly string[]): RunRecord[] {
  return findRunDirectories(roots).map(readRunDirectory);
}

/** Distinct training images of a run from its config (min(round(fraction x train split), maxTrain)). */
export function dataSizeOf(config: Json): number | undefined {
  const dataset = (config['dataset'] ?? {}) as Json;
  const name = String(dataset['name'] ?? 'mnist');
  const synthetic = (dataset['synthetic'] ?? {}) as Json;
  const size = name === 'synthetic' && typeof synthetic['n'] === 'number' ? synthetic['n'] : TRAIN_SET_SIZES[name];
  if (size === undefined) return undefined;
  const fraction = typeof dataset['fraction'] === 'number' ? dataset['fraction'] : 1;
  const n = Math.max(1, Math.round(fraction * size));
  return typeof dataset['maxTrain'] === 'number' ? Math.min(n, dataset['maxTrain']) : n;
}

/**
 * The final results of a run: from summary.json, or, for a run stopped early (the monitor's `early-stop`
 * with `--monitor act` ends training without a final evaluation), from its last evaluation record.
 */
export function finalResultOf(run: RunRecord): { linearProbe: number; knn: number; auc: number; stoppedEarly: boolean } {
  const stoppedEarly = run.summary['status'] === 'stopped' || typeof run.summary['linearProbeAccuracy'] !== 'number';
  if (!stoppedEarly) {
    return { linearProbe: numberField(run.summary, 'linearProbeAccuracy'), knn: numberField(run.summary, 'knnAccuracy'), auc: numberField(run.summary, 'auc'), stoppedEarly };
  }
  const last = run.records.filter((r) => r['type'] === 'evaluation').at(-1);
  return {
    linearProbe: numberField(last, 'linearProbeAccuracy'),
    knn: numberField(last, 'knnAccuracy'),
    auc: numberField(last?.['backbone'] as Json | undefined, 'auc'),
    stoppedEarly,
  };
}

/** A number field of a JSON object, or NaN. */
export function numberField(object: Json | undefined, key: string): number {
  const value = object?.[key];
  return typeof value === 'number' ? value : Number.NaN;
}
