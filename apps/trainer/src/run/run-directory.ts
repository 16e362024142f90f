import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomicSync } from '@siamwatch/embedding-io';
import { MetricsLog } from './metrics-log.ts';

/** A regime change during a run: when, to what, and why (`start`, a CLI/monitor reason...). */
export interface RegimeChange {
  step: number;
  regime: string;
  reason: string;
}

/** `summary.json`: the final figures of a run. `auc`/`rankme` are of the backbone features on the probe set. */
export interface TrainSummary {
  linearProbeAccuracy: number;
  knnAccuracy: number;
  auc: number;
  rankme: number;
  projectorAuc: number;
  /** Std of the L2-normalised backbone / projector outputs (~1/sqrt(d) healthy, ~0 fully collapsed; Eq. of SimSiam Fig. 2). */
  normalizedStd: number;
  projectorNormalizedStd: number;
  /** Backbone AUC / RankMe of the train-probe images without augmentation (the paper authors' spectrum; absent in older runs). */
  trainAuc?: number;
  trainRankme?: number;
  /** The same on the images a `last`-strategy run trains on (its subset), when that is a strict subset. */
  subsetAuc?: number;
  subsetRankme?: number;
  /** Backbone feature width d (the AUC's floor is (d + 1) / (2 d)). */
  backboneDim?: number;
  backend: string;
  imagesPerSecond: number;
  paramCount: number;
  steps: number;
  epochs: number;
  seconds: number;
  finalLoss: number;
  initLinearProbeAccuracy?: number;
  initKnnAccuracy?: number;
  initAuc?: number;
  regimeHistory: RegimeChange[];
  /** Collapse monitor: the forecast of the check nearest half of training (ratios 0-1). */
  forecastAtHalf?: { step: number; point: number; low: number; high: number };
  /** Collapse monitor: every non-`continue` decision, in order (applied with `--monitor act`). */
  decisions?: { step: number; decision: string; reason: string; applied: boolean }[];
}

/** The files of one run: `config.json`, `metrics.jsonl`, `checkpoints/`, `summary.json`. */
export interface RunDirectory {
  dir: string;
  configPath: string;
  metricsPath: string;
  checkpointsDir: string;
  summaryPath: string;
  metrics: MetricsLog;
  /** Writes `config.json` atomically (the frozen config, pretty-printed). */
  writeConfig(config: unknown): void;
  /** Reads back `config.json` (used by `--resume`), or undefined when absent. */
  readConfig(): unknown;
  /** Writes `summary.json` atomically. */
  writeSummary(summary: TrainSummary): void;
}

/** `runs/<UTC timestamp>` (colons removed so the name is portable), relative to `root`. */
export function defaultRunDir(now: Date = new Date(), root = 'runs'): string {
  return join(root, now.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z'));
}

/** Creates (or reopens, for resume) a run directory and its `checkpoints/` folder, removing torn temp files. */
export function openRunDirectory(dir: string): RunDirectory {
  const checkpointsDir = join(dir, 'checkpoints');
  mkdirSync(checkpointsDir, { recursive: true });
  removeStaleTempFiles(dir);
  removeStaleTempFiles(checkpointsDir);
  const configPath = join(dir, 'config.json');
  const metricsPath = join(dir, 'metrics.jsonl');
  const summaryPath = join(dir, 'summary.json');
  return {
    dir,
    configPath,
    metricsPath,
    checkpointsDir,
    summaryPath,
    metrics: new MetricsLog(metricsPath),
    writeConfig(config) {
      writeFileAtomicSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
    },
    readConfig() {
      return existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as unknown) : undefined;
    },
    writeSummary(summary) {
      writeFileAtomicSync(summaryPath, `${JSON.stringify(summary, null, 2)}\n`);
    },
  };
}
