import type { TrainerHooks, TrainLogger } from '../train/trainer-types.ts';

const HOOK_NAMES = ['onStart', 'onStep', 'onEvaluation', 'onCheckpoint', 'onRegimeChange', 'onEnd'] as const;

/**
 * Wraps trainer hooks so an exception (sync or async) in an observer is logged as a warning naming
 * the component and the hook, never thrown into the training loop. Used for telemetry, which must
 * never take training down.
 */
export function guardedHooks(component: string, hooks: TrainerHooks, logger: TrainLogger): TrainerHooks {
  const guarded: TrainerHooks = {};
  for (const name of HOOK_NAMES) {
    const fn = hooks[name] as ((event: unknown) => void | Promise<void>) | undefined;
    if (!fn) continue;
    (guarded as Record<string, unknown>)[name] = async (event: unknown) => {
      try {
        await fn.call(hooks, event);
      } catch (error) {
        logger.warn({ event: 'hook-error', component, hook: name, error: String(error) }, `${component} ${name} failed (training goes on): ${String(error)}`);
      }
    };
  }
  return guarded;
}
