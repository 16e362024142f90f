/**
 * Reads the study's finished runs into the quantities the findings compare: data fraction, backbone width,
 * parameter count, regime arm, architecture variant, final accuracy and backbone AUC, the final spectrum
 * and the training curves.
 */
import { rescaledAuc } from '@siamwatch/collapse-metrics';
import { regimeArmOf, type RegimeArm } from '../calibration/regime-comparison.ts';
import { dataSizeOf, finalResultOf, numberField, type RunRecord } from '../calibration/run-directory.ts';

type Json = Record<string, unknown>;

/** One study run, flattened. Accuracies are fractions. */
export interface StudyRun {
  id: string;
  group: string;
  seed: number;
  /** Fraction of the full set trained on: `regime.lastFraction` for the `last` strategy, else `dataset.fraction`. */
  fraction: number;
  /** Images trained on (the `last` strategy's subset, else the whole training split). */
  dataSize: number;
  width: number;
  params: number;
  arm?: RegimeArm;
  variant: string;
  linearProbe: number;
  knn: number;
  auc: number;
  /** Final backbone AUC / RankMe on training images without augmentation (the authors' spectrum); NaN for older runs. */
  trainAuc: number;
  trainRankme: number;
  /** The same AUC on the images the run trained on (its `last` subset; the training split otherwise). */
  ownAuc: number;
  /** Backbone feature width d. */
  dim: number;
  /** Steps trained and the batch size (passes over the subset = steps x batch / dataSize). */
  steps: number;
  batchSize: number;
  /** `trainAuc` rescaled by the width's floor: (AUC - (d+1)/(2d)) / (1 - (d+1)/(2d)). */
  trainAucRescaled: number;
  initLinearProbe: number;
  /** Stopped before its budget (monitor early-stop): results are those of its last evaluation. */
  stoppedEarly: boolean;
  /** Backbone singular values of the last evaluation, descending (training-set spectrum when recorded, else probe-test). */
  spectrum: number[];
  /** (step, loss) of every training step. */
  loss: [number, number][];
  /** (step, linear probe, backbone AUC, training-set backbone AUC, own-subset AUC) at every evaluation. */
  evaluations: [number, number, number, number, number][];
}

/** The default architecture of the study (config defaults of siamwatch train). */
export const BASELINE_VARIANT = 'baseline (pred. hidden 64, proj. 256, scheduled pred. lr)';

/** The baseline run of the second-edition study: the data-size run on 100% (iid, default architecture). */
export function isFullSetBaseline(run: StudyRun): boolean {
  return run.group === 'data-size' && run.fraction === 1;
}

/** The architecture variant of a run, from its config. */
export function variantOf(config: Json): string {
  if (config['stopGradient'] === false) return 'no stop-gradient';
  if (typeof config['predictorLr'] === 'number') return `fixed predictor lr ${String(config['predictorLr'])}`;
  if (config['predictorHiddenDim'] !== undefined && config['predictorHiddenDim'] !== 64) return `predictor hidden ${String(config['predictorHiddenDim'])}`;
  if (config['projectorDim'] !== undefined && config['projectorDim'] !== 256) return `projector ${String(config['projectorDim'])}`;
  return BASELINE_VARIANT;
}

/** Flattens a finished run directory into a {@link StudyRun}. */
export function studyRunOf(run: RunRecord): StudyRun {
  const dataset = (run.config['dataset'] ?? {}) as Json;
  const backbone = (run.config['backbone'] ?? {}) as Json;
  const evaluations = run.records.filter((r) => r['type'] === 'evaluation');
  const last = evaluations.at(-1);
  const train = last?.['trainBackbone'] as Json | undefined;
  const spectrum = (((train ?? (last?.['backbone'] as Json | undefined))?.['singularValues']) ?? []) as number[];
  const regime = (run.config['regime'] ?? {}) as Json;
  const lastFraction = regime['name'] === 'last' && typeof regime['lastFraction'] === 'number' ? regime['lastFraction'] : undefined;
  const fullSize = dataSizeOf(run.config) ?? Number.NaN;
  const trainAuc = numberField(train, 'auc');
  const dim = numberField(last?.['backbone'] as Json | undefined, 'dim');
  const monitor = run.config['monitor'];
  return {
    id: run.id,
    group: run.group,
    seed: numberField(run.config, 'seed'),
    fraction: lastFraction ?? (numberField(dataset, 'fraction') || 1),
    dataSize: lastFraction === undefined ? fullSize : Math.max(1, Math.round(lastFraction * fullSize)),
    width: numberField(backbone, 'width'),
    params: numberField(run.summary, 'paramCount'),
    arm: regimeArmOf(run),
    variant: monitor === 'act' && run.config['stopGradient'] !== false ? 'monitor act' : variantOf(run.config),
    linearProbe: finalResultOf(run).linearProbe,
    knn: finalResultOf(run).knn,
    auc: finalResultOf(run).auc,
    stoppedEarly: finalResultOf(run).stoppedEarly,
    trainAuc,
    trainRankme: numberField(train, 'rankme'),
    ownAuc: numberField((last?.['subsetBackbone'] as Json | undefined) ?? train, 'auc'),
    dim,
    steps: numberField(run.summary, 'steps'),
    batchSize: typeof run.config['batchSize'] === 'number' ? run.config['batchSize'] : 64,
    trainAucRescaled: Number.isFinite(trainAuc) && Number.isSafeInteger(dim) && dim > 0 ? rescaledAuc(trainAuc, dim) : Number.NaN,
    initLinearProbe: numberField(run.summary, 'initLinearProbeAccuracy'),
    spectrum: [...spectrum].sort((a, b) => b - a),
    loss: run.records.filter((r) => (r['type'] === undefined || r['type'] === 'step') && typeof r['loss'] === 'number').map((r) => [r['step'] as number, r['loss'] as number]),
    evaluations: evaluations.map((r) => [
      r['step'] as number,
      r['linearProbeAccuracy'] as number,
      numberField(r['backbone'] as Json | undefined, 'auc'),
      numberField(r['trainBackbone'] as Json | undefined, 'auc'),
      numberField((r['subsetBackbone'] ?? r['trainBackbone']) as Json | undefined, 'auc'),
    ]),
  };
}

/** Runs of the data-size finding: the `data-size` group (fixed small model, compute fixed per full-set epoch). */
export function dataSizeRuns(runs: readonly StudyRun[], group = 'data-size'): StudyRun[] {
  return runs.filter((r) => r.group === group);
}

/** Runs of the model-size finding: the `model-size` group plus the width-0.25 baseline (data-size on 100%). */
export function modelSizeRuns(runs: readonly StudyRun[]): StudyRun[] {
  return runs.filter((r) => r.group === 'model-size' || isFullSetBaseline(r));
}

/** Runs of the regime finding: the `regime` group's continual and hybrid arms plus the iid baseline (data-size on 100%). */
export function regimeRuns(runs: readonly StudyRun[], group = 'regime'): StudyRun[] {
  return runs.filter((r) => (r.group === group && r.arm !== undefined) || (group === 'regime' && isFullSetBaseline(r)));
}

/** Runs of the architecture finding: its parts plus the baseline (data-size on 100%, same setting and seeds). */
export function architectureRuns(runs: readonly StudyRun[]): StudyRun[] {
  return runs.filter((r) => r.group === 'architecture' || isFullSetBaseline(r));
}

/** Groups values by a key, keeping first-seen key order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
