/**
 * The set-up shared by the step-time benchmarks (`bench:telemetry`, `bench:monitor`): start the
 * trainer's real extensions (telemetry, monitor) against a recorder instead of the trainer, so the
 * benchmark can gate their hooks, and the alternating on/off blocks of steps that the gate follows
 * (block 0 is warm-up and off, then off and on alternate, so load changes hit both alike).
 */
import { startTrainExtensions, trainIntegrations, silentLogger, type Trainer, type TrainerHooks, type TrainConfig } from 'siamwatch';

/** The extensions' hooks, captured, and the function that closes the extensions. */
export interface CapturedExtensions {
  hooks: TrainerHooks[];
  close: () => Promise<void>;
}

/** Starts every train extension of `config` against a recorder of `trainer` and returns their hooks. */
export async function captureExtensionHooks(config: TrainConfig, trainer: Trainer): Promise<CapturedExtensions> {
  const hooks: TrainerHooks[] = [];
  const recorder: Trainer = {
    run: () => trainer.run(),
    switchRegime: () => undefined,
    requestStop: () => undefined,
    addHooks: (h) => void hooks.push(h),
  };
  const close = await startTrainExtensions(trainIntegrations({ env: {} }), { config, trainer: recorder, logger: silentLogger, runDir: config.out! });
  return { hooks, close };
}

/** Whether 1-based `step` falls in an "on" block of `block` steps (block 0 is warm-up, off). */
export function inOnBlock(step: number, block: number): boolean {
  return Math.floor((step - 1) / block) % 2 === 1;
}
