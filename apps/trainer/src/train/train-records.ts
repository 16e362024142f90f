import type { SpectrumSummary } from '../eval/evaluate.ts';
import type { MetricsRecord } from '../run/metrics-log.ts';
import type { TrainSummary } from '../run/run-directory.ts';
import type { LoopState } from './train-checkpoint-state.ts';
import { TrainError, type EvaluationEvent } from './trainer-types.ts';

function spectrumRecord(s: SpectrumSummary): Record<string, unknown> {
  return {
    auc: s.auc,
    rankme: s.rankme,
    stableRank: s.stableRank,
    alpha: s.alpha,
    alphaR2: s.alphaR2,
    components90: s.components90,
    components99: s.components99,
    normalizedStd: s.normalizedStd,
    dim: s.dim,
    singularValues: s.singularValues,
  };
}

/** Run facts repeated on every evaluation line, so the line is a self-contained monitor check. */
export interface EvaluationContext {
  totalSteps: number;
  /** Loss of the step just taken (absent at step 0). */
  loss?: number;
  modelParams: number;
  dataSize: number;
}

/**
 * The `metrics.jsonl` line of an evaluation: `type: "evaluation"`, step, epoch, totalSteps, the last
 * loss, both probe accuracies, the backbone/projector collapse metrics (with their singular values),
 * the backbone's training-set spectrum (`trainBackbone`, the paper authors' protocol),
 * modelParams and dataSize: the check format `@siamwatch/monitor` reads (`calibrationRunFromMetricsLines`).
 */
export function evaluationRecord(event: EvaluationEvent, context: EvaluationContext): MetricsRecord {
  return {
    type: 'evaluation',
    step: event.step,
    epoch: event.epoch,
    totalSteps: context.totalSteps,
    ...(context.loss === undefined ? {} : { loss: context.loss }),
    linearProbeAccuracy: event.linearProbeAccuracy,
    knnAccuracy: event.knnAccuracy,
    probeTrain: event.probeTrain,
    probeTest: event.probeTest,
    backbone: spectrumRecord(event.backbone),
    projector: spectrumRecord(event.projector),
    trainBackbone: spectrumRecord(event.trainBackbone),
    ...(event.subsetBackbone ? { subsetBackbone: spectrumRecord(event.subsetBackbone) } : {}),
    modelParams: context.modelParams,
    dataSize: context.dataSize,
    evalSeconds: event.seconds,
  };
}

/** Builds `summary.json` from the final loop state (its last evaluation is the one at the last step). */
export function buildSummary(args: {
  state: LoopState;
  backend: string;
  paramCount: number;
  batchSize: number;
  stepsPerEpoch: number;
  seconds: number;
}): TrainSummary {
  const { state } = args;
  const last = state.lastEvaluation;
  if (!last) throw new TrainError(`no evaluation at the end of the run (step ${state.step})`);
  return {
    linearProbeAccuracy: last.linearProbeAccuracy,
    knnAccuracy: last.knnAccuracy,
    auc: last.backbone.auc,
    rankme: last.backbone.rankme,
    normalizedStd: last.backbone.normalizedStd,
    projectorAuc: last.projector.auc,
    projectorNormalizedStd: last.projector.normalizedStd,
    trainAuc: last.trainBackbone?.auc,
    trainRankme: last.trainBackbone?.rankme,
    backboneDim: last.backbone.dim,
    ...(last.subsetBackbone ? { subsetAuc: last.subsetBackbone.auc, subsetRankme: last.subsetBackbone.rankme } : {}),
    backend: args.backend,
    imagesPerSecond: (state.step * args.batchSize) / Math.max(state.trainSeconds, 1e-9),
    paramCount: args.paramCount,
    steps: state.step,
    epochs: state.step / args.stepsPerEpoch,
    seconds: args.seconds,
    finalLoss: state.lastLoss,
    initLinearProbeAccuracy: state.initEvaluation?.linearProbeAccuracy,
    initKnnAccuracy: state.initEvaluation?.knnAccuracy,
    initAuc: state.initEvaluation?.auc,
    regimeHistory: state.regimeHistory,
  };
}
