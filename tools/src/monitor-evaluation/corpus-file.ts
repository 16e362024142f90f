/**
 * The committed corpus of the monitor evaluation: a compact per-run summary of finished `siamwatch train` runs
 * (label-free check trajectory, final and intermediate linear-probe accuracy, setting, seed, method), written
 * from run directories and read back by the evaluation, so the evaluation reruns without the raw run folders.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveMethod, type SslMethod, type TrajectoryPoint } from '@siamwatch/monitor';
import { calibrationRunOf } from '../calibration/calibration-run-of.ts';
import { dataSizeOf, finalResultOf, numberField, readRuns, type RunRecord } from '../calibration/run-directory.ts';

/** Raised for a corpus file or run that cannot be used; the message names it. */
export class CorpusFileError extends Error {
  override readonly name = 'CorpusFileError';
}

/** One run of the corpus. Accuracies are fractions in [0, 1]. */
export interface CorpusRun {
  id: string;
  /** The grid block (`continuum`, `continuum-act`). */
  group: string;
  /** The run id without its seed: all seeds of one configuration (the unit held out together). */
  setting: string;
  seed: number;
  params: Record<string, string | number | boolean>;
  method: SslMethod;
  dataset: string;
  width: number;
  monitor: string;
  modelParams?: number;
  dataSize?: number;
  totalSteps: number;
  /** Steps trained (fewer than `totalSteps` when the monitor stopped the run). */
  steps: number;
  stoppedEarly: boolean;
  /** Final linear-probe accuracy (of the last evaluation when the run was stopped early). */
  finalLinearProbeAccuracy: number;
  evaluations: { step: number; linearProbeAccuracy: number }[];
  checks: TrajectoryPoint[];
  /** Decisions the live monitor made (`--monitor observe|act`). */
  decisions: { step: number; decision: string; applied: boolean }[];
}

/** The corpus document. */
export interface CorpusFile {
  version: 1;
  /** The commands that trained the runs (the grid manifests: grid names, seeds and flags are in `params`). */
  commands: string[];
  runs: CorpusRun[];
}

const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(5)) : x);

function compactPoint(point: TrajectoryPoint): TrajectoryPoint {
  const out: TrajectoryPoint = { step: point.step, totalSteps: point.totalSteps, loss: round(point.loss) };
  for (const key of ['backbone', 'projector'] as const) {
    const o = point[key];
    if (o) out[key] = Object.fromEntries(Object.entries(o).map(([k, v]) => [k, round(v as number)])) as unknown as TrajectoryPoint['backbone'];
  }
  return out;
}

/** The setting of a run id: the id without its `--s<seed>` suffix. */
export function settingOf(id: string): string {
  return id.replace(/--s\d+$/, '');
}

/**
 * A corpus entry from a finished run directory: its live monitor checks (or, without them, its evaluation records
 * adapted as checks). Throws {@link CorpusFileError} naming the run when it has no trajectory or accuracy.
 */
export function corpusRunOf(record: RunRecord, params: CorpusRun['params'] = {}): CorpusRun {
  const config = record.config;
  const dataset = String(((config['dataset'] ?? {}) as Record<string, unknown>)['name'] ?? 'mnist');
  const backbone = (config['backbone'] ?? {}) as Record<string, unknown>;
  const final = finalResultOf(record);
  if (!(final.linearProbe >= 0 && final.linearProbe <= 1)) throw new CorpusFileError(`run "${record.id}" has no final linear-probe accuracy`);
  let checks: TrajectoryPoint[];
  try {
    checks = calibrationRunOf({ ...record, summary: { ...record.summary, linearProbeAccuracy: final.linearProbe, steps: record.summary['steps'] ?? record.summary['totalSteps'] } }).checks;
  } catch (error) {
    throw new CorpusFileError(`run "${record.id}": ${(error as Error).message}`);
  }
  const manifest = record.records.find((r) => r['type'] === 'evaluation');
  const totalSteps = numberField(manifest, 'totalSteps');
  const seed = Number(/--s(\d+)$/.exec(record.id)?.[1] ?? config['seed'] ?? 0);
  const evaluations = record.records
    .filter((r) => r['type'] === 'evaluation' && typeof r['linearProbeAccuracy'] === 'number')
    .map((r) => ({ step: r['step'] as number, linearProbeAccuracy: round(r['linearProbeAccuracy'] as number) }));
  const decisions = ((record.summary['decisions'] ?? []) as { step: number; decision: string; applied: boolean }[]).map((d) => ({ step: d.step, decision: d.decision, applied: d.applied }));
  const modelParams = numberField(record.summary, 'paramCount');
  const dataSize = dataSizeOf(config);
  return {
    id: record.id,
    group: record.group,
    setting: settingOf(record.id),
    seed,
    params,
    method: resolveMethod(config['method']),
    dataset,
    width: Number(backbone['width'] ?? 1),
    monitor: String(config['monitor'] ?? 'off'),
    ...(modelParams > 0 ? { modelParams } : {}),
    ...(dataSize !== undefined ? { dataSize } : {}),
    totalSteps: Number.isFinite(totalSteps) ? totalSteps : checks[0].totalSteps,
    steps: numberField(record.summary, 'steps'),
    stoppedEarly: final.stoppedEarly,
    finalLinearProbeAccuracy: round(final.linearProbe),
    evaluations,
    checks: checks.map(compactPoint),
    decisions,
  };
}

/** Reads the finished runs under `roots` into a corpus; runs that cannot be used are returned with the reason. */
export function corpusFromRunDirectories(roots: readonly string[]): { corpus: CorpusFile; skipped: { id: string; reason: string }[] } {
  const runs: CorpusRun[] = [];
  const skipped: { id: string; reason: string }[] = [];
  const params = new Map<string, CorpusRun['params']>();
  const commands: string[] = [];
  for (const root of roots) {
    const file = join(root, 'manifest.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as { grid: string; runs: { id: string; params: CorpusRun['params'] }[] };
    commands.push(`npm run experiments -- --grid ${manifest.grid} --out runs/${manifest.grid} --backend tensorflow`);
    for (const run of manifest.runs) params.set(run.id, run.params);
  }
  for (const record of readRuns(roots)) {
    try {
      runs.push(corpusRunOf(record, params.get(record.id)));
    } catch (error) {
      skipped.push({ id: record.id, reason: (error as Error).message });
    }
  }
  return { corpus: { version: 1, commands, runs }, skipped };
}

/** Reads and checks a corpus file written by {@link corpusFromRunDirectories}. */
export function readCorpusFile(file: string): CorpusFile {
  if (!existsSync(file)) throw new CorpusFileError(`corpus file "${file}" does not exist`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CorpusFileError(`corpus file "${file}" is not JSON: ${(error as Error).message}`);
  }
  const corpus = raw as CorpusFile;
  if (corpus.version !== 1 || !Array.isArray(corpus.runs)) throw new CorpusFileError(`corpus file "${file}" must be { version: 1, runs: [...] }, got version ${JSON.stringify(corpus.version)}`);
  corpus.runs.forEach((run, i) => {
    if (typeof run.id !== 'string' || !Array.isArray(run.checks) || !(run.finalLinearProbeAccuracy >= 0 && run.finalLinearProbeAccuracy <= 1)) {
      throw new CorpusFileError(`corpus file "${file}": runs[${i}] needs id, checks and a final accuracy in [0, 1]`);
    }
  });
  return corpus;
}
