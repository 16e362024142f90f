/**
 * The manifest of a grid run, `runs/NAME/manifest.json`: one entry per run with its status, arguments,
 * timing and headline results. Written atomically (temp file in the same folder, fsync, rename) after
 * every change, so a crash or a kill never leaves a torn manifest.
 */
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '@siamwatch/embedding-io';
import type { FlagValue } from './grid-spec.ts';

/** Where a run stands. `skipped`: already finished before this invocation (summary.json found). */
export type RunStatus = 'pending' | 'running' | 'done' | 'skipped' | 'failed';

/** Headline numbers of a finished run, copied from its summary.json. */
export interface RunResult {
  linearProbeAccuracy: number;
  knnAccuracy?: number;
  auc: number;
  rankme?: number;
  imagesPerSecond?: number;
  paramCount?: number;
  steps?: number;
  /** Backbone AUC / RankMe on training images without augmentation (the paper authors' spectrum) and the feature width. */
  trainAuc?: number;
  trainRankme?: number;
  backboneDim?: number;
}

/** One run in the manifest. `dir` is relative to the manifest's folder. */
export interface ManifestEntry {
  id: string;
  group: string;
  seed: number;
  params: Record<string, FlagValue>;
  dir: string;
  args: string[];
  status: RunStatus;
  attempts: number;
  resumed: boolean;
  seconds?: number;
  error?: string;
  result?: RunResult;
}

/** The whole manifest of a grid invocation. */
export interface Manifest {
  grid: string;
  description: string;
  quick: boolean;
  command: string;
  trainer: string;
  startedAt: string;
  updatedAt: string;
  finishedAt?: string;
  runs: ManifestEntry[];
}

/** Writes the manifest to `file` atomically, stamping `updatedAt`. */
export function writeManifest(file: string, manifest: Manifest): void {
  manifest.updatedAt = new Date().toISOString();
  writeFileAtomicSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Reads a manifest, or undefined when the file does not exist. */
export function readManifest(file: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Counts of runs per status. */
export function statusCounts(manifest: Manifest): Record<RunStatus, number> {
  const counts: Record<RunStatus, number> = { pending: 0, running: 0, done: 0, skipped: 0, failed: 0 };
  for (const run of manifest.runs) counts[run.status] += 1;
  return counts;
}

/** Picks the headline numbers out of a parsed summary.json. */
export function runResultOf(summary: Record<string, unknown>): RunResult {
  const num = (key: string): number | undefined => (typeof summary[key] === 'number' ? (summary[key] as number) : undefined);
  const result: RunResult = { linearProbeAccuracy: num('linearProbeAccuracy') ?? Number.NaN, auc: num('auc') ?? Number.NaN };
  for (const key of ['knnAccuracy', 'rankme', 'imagesPerSecond', 'paramCount', 'steps', 'trainAuc', 'trainRankme', 'backboneDim'] as const) {
    const value = num(key);
    if (value !== undefined) result[key] = value;
  }
  return result;
}
