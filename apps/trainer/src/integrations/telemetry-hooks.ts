import { statSync } from 'node:fs';
import type { TelemetrySink } from '@siamwatch/telemetry';
import type { TrainerHooks, TrainStartEvent } from '../train/trainer-types.ts';
import { collapseRecordFromSpectrum } from './collapse-records.ts';

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/**
 * Trainer hooks that map every training event to a telemetry sink: each step (loss, lr, images/s,
 * step duration, epoch, regime), each evaluation (a `siamwatch.evaluation` span with the measured
 * accuracies and the backbone and projector collapse metrics, spectrum included), each checkpoint
 * (a `siamwatch.checkpoint` span with duration and size), each regime change, and every epoch as a
 * `siamwatch.epoch` span that lasts from its first to its last step. Evaluation and checkpoint
 * spans are opened when the trainer reports them (after the work), so their real duration is the
 * `seconds` / `duration_seconds` attribute. Give it a {@link safeTelemetry} sink: hooks never throw then.
 */
export function telemetryHooks(sink: TelemetrySink): TrainerHooks {
  let start: TrainStartEvent | undefined;
  let regime: string | undefined;
  let epoch = 0;
  let closeEpoch: (() => void) | undefined;

  const openEpoch = (index: number) => {
    closeEpoch?.();
    epoch = index;
    const ended = new Promise<void>((resolve) => (closeEpoch = resolve));
    void sink.span('epoch', { epoch: index }, () => ended);
  };

  return {
    onStart(event) {
      start = event;
      regime = event.config.regime.name;
      sink.setRegime(regime, event.startStep, event.resumed ? 'resume' : 'start');
      if (event.startStep < event.totalSteps) openEpoch(Math.floor(event.startStep / event.stepsPerEpoch) + 1);
    },
    onStep(event) {
      const batch = start?.config.batchSize ?? 1;
      sink.recordStep({
        step: event.step,
        loss: event.loss,
        learningRate: event.lr,
        imagesPerSecond: event.imagesPerSecond,
        durationSeconds: batch / Math.max(event.imagesPerSecond, 1e-9),
        epoch: event.epoch,
      });
      if (event.regime !== regime) {
        regime = event.regime;
        sink.setRegime(regime, event.step, 'scheduler');
      }
      const index = Math.floor(event.step / (start?.stepsPerEpoch ?? Number.POSITIVE_INFINITY)) + 1;
      if (index !== epoch && event.step < event.totalSteps) openEpoch(index);
    },
    async onEvaluation(event) {
      await sink.span('evaluation', { step: event.step, epoch: event.epoch, seconds: event.seconds }, () => {
        sink.recordEvaluation({ step: event.step, linearProbeAccuracy: event.linearProbeAccuracy, knnAccuracy: event.knnAccuracy });
        sink.recordCollapse(collapseRecordFromSpectrum(event.step, 'backbone', event.backbone));
        sink.recordCollapse(collapseRecordFromSpectrum(event.step, 'projector', event.projector));
      });
    },
    async onCheckpoint(event) {
      const bytes = sizeOf(event.file);
      const attributes = { step: event.step, reason: event.reason, duration_seconds: event.durationSeconds, ...(bytes === undefined ? {} : { bytes }) };
      await sink.span('checkpoint', attributes, () => {
        sink.recordCheckpoint({ step: event.step, durationSeconds: event.durationSeconds, ...(bytes === undefined ? {} : { bytes }) });
      });
    },
    onRegimeChange(change) {
      regime = change.regime;
      sink.setRegime(change.regime, change.step, change.reason);
    },
    onEnd() {
      closeEpoch?.();
      closeEpoch = undefined;
    },
  };
}
