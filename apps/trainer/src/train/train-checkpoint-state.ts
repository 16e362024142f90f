import type { Checkpoint } from '../run/checkpoint.ts';
import type { RegimeChange } from '../run/run-directory.ts';
import type { EvaluationEvent } from './trainer-types.ts';
import { TrainError } from './trainer-types.ts';

/** Everything besides model tensors that a resumed run needs to continue bit-identically. */
export interface LoopState {
  step: number;
  rng: number[];
  scheduler: unknown;
  regimeHistory: RegimeChange[];
  /** Seconds spent in training steps (for throughput) and in the whole run, before this process. */
  trainSeconds: number;
  wallSeconds: number;
  lastLoss: number;
  initEvaluation?: Pick<EvaluationEvent, 'linearProbeAccuracy' | 'knnAccuracy'> & { auc: number };
  lastEvaluation?: EvaluationEvent;
  /** Guards against resuming with a different model/data setting. */
  fingerprint: string;
}

/** Packs the loop state into checkpoint metadata next to the model tensors. */
export function toCheckpoint(state: LoopState, tensors: Checkpoint['tensors']): Checkpoint {
  return { step: state.step, tensors, meta: { format: 'siamwatch-train-1', ...state } };
}

/** Reads the loop state back from a checkpoint, checking it belongs to this configuration. */
export function fromCheckpoint(checkpoint: Checkpoint, file: string, fingerprint: string): LoopState {
  const meta = checkpoint.meta as Partial<LoopState> & { format?: string };
  if (meta.format !== 'siamwatch-train-1' || !Array.isArray(meta.rng) || typeof meta.step !== 'number') {
    throw new TrainError(`checkpoint "${file}" does not hold a siamwatch training state (format ${JSON.stringify(meta.format)})`);
  }
  if (meta.fingerprint !== fingerprint) {
    throw new TrainError(
      `checkpoint "${file}" was written for another setting (${String(meta.fingerprint)}); this run is ${fingerprint}`,
    );
  }
  return {
    step: meta.step,
    rng: meta.rng,
    scheduler: meta.scheduler,
    regimeHistory: meta.regimeHistory ?? [],
    trainSeconds: meta.trainSeconds ?? 0,
    wallSeconds: meta.wallSeconds ?? 0,
    lastLoss: meta.lastLoss ?? Number.NaN,
    initEvaluation: meta.initEvaluation,
    lastEvaluation: meta.lastEvaluation,
    fingerprint,
  };
}

/** The settings a checkpoint must match to be resumed (model, data, budget, seed). */
export function configFingerprint(parts: Record<string, unknown>): string {
  return Object.entries(parts)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(',');
}

/**
 * Which evaluation and checkpoint work is due after `step`: evaluations every `evalEverySteps`
 * (0 = none) and at the end; checkpoints every `everySteps`, after `everySeconds`, and at the end.
 */
export function dueAfterStep(args: {
  step: number;
  totalSteps: number;
  evalEverySteps: number;
  checkpointEverySteps: number;
  checkpointEverySeconds: number;
  secondsSinceCheckpoint: number;
}): { evaluate: boolean; checkpoint: 'interval' | 'seconds' | 'final' | undefined } {
  const last = args.step === args.totalSteps;
  const evaluate = last || (args.evalEverySteps > 0 && args.step % args.evalEverySteps === 0);
  let checkpoint: 'interval' | 'seconds' | 'final' | undefined;
  if (last) checkpoint = 'final';
  else if (args.checkpointEverySteps > 0 && args.step % args.checkpointEverySteps === 0) checkpoint = 'interval';
  else if (args.checkpointEverySeconds > 0 && args.secondsSinceCheckpoint >= args.checkpointEverySeconds) checkpoint = 'seconds';
  return { evaluate, checkpoint };
}
