/**
 * Cosine learning-rate schedule as in SimSiam (Chen & He, CVPR 2021): lr = base * 0.5 * (1 + cos(pi * t / T)),
 * optionally after a linear warm-up from base / warmupSteps to base. The caller scales `base` (SimSiam:
 * base_lr * batch / 256).
 */
import { OptimizerOptionError } from './optim-errors.ts';

/** Options of `cosineLr`. `warmupSteps` defaults to 0. */
export interface CosineLrOptions {
  base: number;
  step: number;
  totalSteps: number;
  warmupSteps?: number;
}

/**
 * The learning rate at `step` (0-based) of `totalSteps`: linear warm-up over `warmupSteps`, then cosine decay
 * from `base` at the end of warm-up to 0 at `totalSteps`. Steps past the end give 0.
 */
export function cosineLr({ base, step, totalSteps, warmupSteps = 0 }: CosineLrOptions): number {
  if (!Number.isFinite(base) || base < 0) {
    throw new OptimizerOptionError('base', base, 'a finite number >= 0');
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new OptimizerOptionError('totalSteps', totalSteps, 'an integer >= 1');
  }
  if (!Number.isInteger(step) || step < 0) {
    throw new OptimizerOptionError('step', step, 'an integer >= 0');
  }
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0 || warmupSteps >= totalSteps) {
    throw new OptimizerOptionError('warmupSteps', warmupSteps, `an integer in [0, totalSteps=${totalSteps})`);
  }
  if (step >= totalSteps) {
    return 0;
  }
  if (step < warmupSteps) {
    return (base * (step + 1)) / warmupSteps;
  }
  const progress = (step - warmupSteps) / (totalSteps - warmupSteps);
  return base * 0.5 * (1 + Math.cos(Math.PI * progress));
}
