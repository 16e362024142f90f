/**
 * Writes synthetic finished run directories (config.json, summary.json, metrics.jsonl with step and
 * evaluation records, the trainer's formats) for the calibration and report tests. The final linear-probe
 * accuracy is a known function of the mid-training backbone AUC plus a small seeded noise, so a forecast
 * fitted on these runs has something real to find.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRandom } from '@siamwatch/monitor';

/** What one fake run looks like. */
export interface FakeRunOptions {
  id: string;
  seed: number;
  /** Backbone AUC reached at the end (0.6 healthy .. 0.95 collapsed); accuracy falls as it rises. */
  finalAuc: number;
  steps?: number;
  evaluations?: number;
  regime?: 'iid' | 'continual' | 'hybrid' | 'last';
  /** `last` strategy: the fraction of the full set trained on (config `regime.lastFraction`). */
  lastFraction?: number;
  monitor?: 'off' | 'act';
  fraction?: number;
  width?: number;
  stopGradient?: boolean;
  /** Extra config fields (e.g. `predictorHiddenDim`). */
  config?: Record<string, unknown>;
}

/** The accuracy a fake run ends with: 0.98 - 0.8 (finalAuc - 0.6) + noise(sd 0.005). */
export function fakeFinalAccuracy(finalAuc: number, seed: number): number {
  return 0.98 - 0.8 * (finalAuc - 0.6) + 0.005 * createRandom(seed + 17).normal();
}

/** Writes one fake run directory under `root` and returns its path. */
export function writeFakeRun(root: string, o: FakeRunOptions): string {
  const dir = join(root, o.id);
  mkdirSync(join(dir, 'checkpoints'), { recursive: true });
  const steps = o.steps ?? 80;
  const evaluations = o.evaluations ?? 8;
  const random = createRandom(o.seed);
  const width = o.width ?? 0.25;
  const config = {
    dataset: { name: 'mnist', fraction: o.fraction ?? 0.05, maxTrain: 60000, imageSize: 14 },
    backbone: { kind: 'resnet', depth: 0, width },
    stopGradient: o.stopGradient ?? true,
    steps,
    regime: { name: o.regime ?? 'iid', ...(o.lastFraction === undefined ? {} : { lastFraction: o.lastFraction }) },
    monitor: o.monitor ?? 'off',
    seed: o.seed,
    ...o.config,
  };
  const lines: object[] = [];
  const auc0 = 0.65;
  for (let step = 0; step <= steps; step++) {
    const t = step / steps;
    if (step > 0) lines.push({ step, epoch: t, loss: -0.2 - 0.6 * t + 0.02 * random.normal(), lr: 0.1, imagesPerSecond: 300, regime: o.regime === 'continual' ? 'continual' : 'iid', seenExamples: step * 64 });
    if (step % Math.round(steps / evaluations) === 0) {
      const auc = auc0 + (o.finalAuc - auc0) * t + 0.003 * random.normal();
      const rankme = 40 * (1.2 - auc);
      const acc = fakeFinalAccuracy(o.finalAuc, o.seed) - 0.1 * (1 - t);
      const spectrum = Array.from({ length: 16 }, (_, i) => Math.pow(i + 1, -1 - 4 * (auc - 0.6)));
      const output = (dim: number) => ({ auc, rankme, stableRank: rankme / 10, alpha: 1 + auc, alphaR2: 0.9, components90: 10, components99: 14, normalizedStd: (0.9 - 0.5 * (auc - 0.6)) / Math.sqrt(dim), dim, singularValues: spectrum });
      const dim = 16 * width * 4;
      lines.push({ type: 'evaluation', step, epoch: t, linearProbeAccuracy: acc, knnAccuracy: acc - 0.02, probeTrain: 100, probeTest: 100, backbone: output(dim), projector: output(256), trainBackbone: output(dim), ...(o.lastFraction === undefined ? {} : { subsetBackbone: { ...output(dim), auc: auc - 0.1 } }) });
    }
  }
  const summary = {
    linearProbeAccuracy: fakeFinalAccuracy(o.finalAuc, o.seed),
    knnAccuracy: fakeFinalAccuracy(o.finalAuc, o.seed) - 0.02,
    auc: o.finalAuc,
    rankme: 40 * (1.2 - o.finalAuc),
    trainAuc: o.finalAuc,
    trainRankme: 40 * (1.2 - o.finalAuc),
    backboneDim: 16 * width * 4,
    backend: 'wasm',
    imagesPerSecond: 300,
    paramCount: Math.round(20000 * width * width + 150000),
    steps,
    initLinearProbeAccuracy: 0.75,
    regimeHistory: [{ step: 0, regime: o.regime === 'hybrid' ? 'continual' : (o.regime ?? 'iid'), reason: 'start' }, ...(o.regime === 'hybrid' ? [{ step: steps / 2, regime: 'iid', reason: 'hybrid' }] : [])],
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
  return dir;
}
