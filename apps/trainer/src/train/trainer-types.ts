import type { TrainConfig } from '../config/train-config.ts';
import type { EvaluationResult } from '../eval/evaluate.ts';
import type { EmbeddingModel } from '../eval/extract-features.ts';
import type { RegimeChange, TrainSummary } from '../run/run-directory.ts';
import type { TrainData } from './trainer-deps.ts';

/** Raised when a training run cannot start or continue (existing run dir, NaN loss, resume mismatch). */
export class TrainError extends Error {
  override readonly name = 'TrainError';
}

/** The regimes a running trainer can switch to live. */
export type LiveRegime = 'iid' | 'continual';

/** A pino-compatible structured logger (only what the trainer uses). */
export interface TrainLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** Facts known once the run is set up (before the first step). */
export interface TrainStartEvent {
  config: TrainConfig;
  runDir: string;
  backend: string;
  paramCount: number;
  numTrain: number;
  stepsPerEpoch: number;
  totalSteps: number;
  /** Step the run starts from (0, or the checkpoint's step when resuming). */
  startStep: number;
  resumed: boolean;
  /** The live model (inference-mode `embed`, e.g. for the collapse monitor's fixed monitoring subset). */
  model: EmbeddingModel;
  /** The loaded data (image shape and training split). */
  data: TrainData;
}

/** One optimisation step: its 1-based `step`, loss, applied lr, throughput (images/s, 2 views each) and regime. */
export interface StepEvent {
  step: number;
  epoch: number;
  totalSteps: number;
  loss: number;
  lr: number;
  imagesPerSecond: number;
  regime: string;
  seenExamples: number;
}

/** One evaluation (epoch 0 = random init) of the frozen network. */
export interface EvaluationEvent extends EvaluationResult {
  step: number;
  epoch: number;
}

/** A checkpoint was written (after `step`). */
export interface CheckpointEvent {
  step: number;
  file: string;
  reason: 'interval' | 'seconds' | 'final' | 'stop';
  /** Wall time of the write in seconds. */
  durationSeconds: number;
}

/**
 * Extension points of the training loop. Telemetry and the collapse monitor attach here; they may
 * call `trainer.switchRegime` / `trainer.requestStop` (applied at the next step). Returned promises
 * are awaited, so a hook can do async IO, but it runs on the training thread: keep it cheap.
 */
export interface TrainerHooks {
  onStart?(event: TrainStartEvent): void | Promise<void>;
  onStep?(event: StepEvent): void | Promise<void>;
  onEvaluation?(event: EvaluationEvent): void | Promise<void>;
  onCheckpoint?(event: CheckpointEvent): void | Promise<void>;
  onRegimeChange?(change: RegimeChange): void | Promise<void>;
  onEnd?(result: TrainResult): void | Promise<void>;
}

/** How a run ended: finished (with `summary.json`) or stopped early at `step` with a checkpoint. */
export interface TrainResult {
  status: 'finished' | 'stopped';
  step: number;
  totalSteps: number;
  runDir: string;
  stopReason?: string;
  summary?: TrainSummary;
  checkpointFile?: string;
}

/** A running or ready trainer. */
export interface Trainer {
  /** Sets up (backend, data, model, run directory, resume) and trains to the end or to a stop request. */
  run(): Promise<TrainResult>;
  /** Switches the data regime live; applied before the next step and recorded in the regime history. */
  switchRegime(to: LiveRegime, reason: string): void;
  /** Asks the loop to stop after the current step; it writes a checkpoint and resolves `run()`. */
  requestStop(reason: string): void;
  /** Adds hooks (e.g. telemetry, monitor) before or during a run. */
  addHooks(hooks: TrainerHooks): void;
}
