/**
 * Reads the study's finished runs into the quantities the findings compare: data fraction, backbone width,
 * parameter count, regime arm, architecture variant, final accuracy and backbone AUC, the final spectrum
 * and the training curves.
 */
import { regimeArmOf, type RegimeArm } from '../calibration/regime-comparison.ts';
import { dataSizeOf, finalResultOf, numberField, type RunRecord } from '../calibration/run-directory.ts';

type Json = Record<string, unknown>;

/** One study run, flattened. Accuracies are fractions. */
export interface StudyRun {
  id: string;
  group: string;
  seed: number;
  fraction: number;
  dataSize: number;
  width: number;
  params: number;
  arm?: RegimeArm;
  variant: string;
  linearProbe: number;
  knn: number;
  auc: number;
  initLinearProbe: number;
  /** Stopped before its budget (monitor early-stop): results are those of its last evaluation. */
  stoppedEarly: boolean;
  /** Backbone singular values of the last evaluation, descending. */
  spectrum: number[];
  /** (step, loss) of every training step. */
  loss: [number, number][];
  /** (step, linear probe, backbone AUC) at every evaluation. */
  evaluations: [number, number, number][];
}

/** The default architecture of the study (config defaults of siamwatch train). */
export const BASELINE_VARIANT = 'baseline (pred. hidden 64, proj. 256, scheduled pred. lr)';

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
  const spectrum = ((last?.['backbone'] as Json | undefined)?.['singularValues'] ?? []) as number[];
  const monitor = run.config['monitor'];
  return {
    id: run.id,
    group: run.group,
    seed: numberField(run.config, 'seed'),
    fraction: numberField(dataset, 'fraction') || 1,
    dataSize: dataSizeOf(run.config) ?? Number.NaN,
    width: numberField(backbone, 'width'),
    params: numberField(run.summary, 'paramCount'),
    arm: regimeArmOf(run),
    variant: monitor === 'act' && run.config['stopGradient'] !== false ? 'monitor act' : variantOf(run.config),
    linearProbe: finalResultOf(run).linearProbe,
    knn: finalResultOf(run).knn,
    auc: finalResultOf(run).auc,
    stoppedEarly: finalResultOf(run).stoppedEarly,
    initLinearProbe: numberField(run.summary, 'initLinearProbeAccuracy'),
    spectrum: [...spectrum].sort((a, b) => b - a),
    loss: run.records.filter((r) => (r['type'] === undefined || r['type'] === 'step') && typeof r['loss'] === 'number').map((r) => [r['step'] as number, r['loss'] as number]),
    evaluations: evaluations.map((r) => [r['step'] as number, r['linearProbeAccuracy'] as number, ((r['backbone'] as Json | undefined)?.['auc'] as number) ?? Number.NaN]),
  };
}

/** Runs of the data-size finding: the `data-size` group (fixed small model, same steps), or `data-size-long` (4x steps). */
export function dataSizeRuns(runs: readonly StudyRun[], group = 'data-size'): StudyRun[] {
  return runs.filter((r) => r.group === group);
}

/** Runs of the model-size finding: all of MNIST, default architecture, iid; width 0.25 from the data-size block. */
export function modelSizeRuns(runs: readonly StudyRun[]): StudyRun[] {
  return runs.filter((r) => r.group === 'model-size' || (r.group === 'data-size' && r.fraction === 1));
}

/** Runs of the regime finding (the four arms at equal compute); `group` `regime-collapse` for the no-stop-gradient block. */
export function regimeRuns(runs: readonly StudyRun[], group = 'regime'): StudyRun[] {
  return runs.filter((r) => r.group === group && r.arm !== undefined);
}

/** Runs of the architecture finding: its variants plus the baseline (the iid arm of the regime block, same setting). */
export function architectureRuns(runs: readonly StudyRun[]): StudyRun[] {
  return runs.filter((r) => r.group === 'architecture' || (r.group === 'regime' && r.arm === 'multi-epoch (iid)'));
}

/** Groups values by a key, keeping first-seen key order. */
export function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const map = new Map<K, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}
