import type { SpanAttributes, TelemetryLogger, TelemetrySink } from '@siamwatch/telemetry';
import type { TrainerHooks, TrainLogger } from '../train/trainer-types.ts';

/** Failures logged per sink method before the rest are only counted (one summary line every 100). */
const LOGGED_FAILURES = 3;

/** Adapts the trainer's pino-style logger to the telemetry's `{ info, warn, error }` logger. */
export function telemetryLoggerOf(logger: TrainLogger): TelemetryLogger {
  return {
    info: (fields, message) => logger.info(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.warn({ level: 'error', ...fields }, message),
  };
}

/**
 * Wraps a telemetry sink so that it can never take training down: every record call that throws
 * (bad value, broken exporter) is logged as a warning with the method name and the error, the first
 * {@link LOGGED_FAILURES} times per method and then every 100th, and returns normally. `span` still
 * runs and returns the wrapped function's result (its own errors propagate, the sink's do not).
 */
export function safeTelemetry(sink: TelemetrySink, logger: TrainLogger): TelemetrySink & { readonly failures: number } {
  const counts = new Map<string, number>();
  let failures = 0;
  const report = (method: string, error: unknown) => {
    failures++;
    const count = (counts.get(method) ?? 0) + 1;
    counts.set(method, count);
    if (count <= LOGGED_FAILURES || count % 100 === 0) {
      logger.warn({ event: 'telemetry-error', method, failures: count, error: String(error) }, `telemetry ${method} failed (training goes on): ${String(error)}`);
    }
  };
  const guard =
    <A extends unknown[]>(method: string, fn: (...args: A) => void) =>
    (...args: A): void => {
      try {
        fn(...args);
      } catch (error) {
        report(method, error);
      }
    };
  return {
    get failures() {
      return failures;
    },
    recordStep: guard('recordStep', (r) => sink.recordStep(r)),
    recordCollapse: guard('recordCollapse', (r) => sink.recordCollapse(r)),
    recordEvaluation: guard('recordEvaluation', (r) => sink.recordEvaluation(r)),
    recordForecast: guard('recordForecast', (r) => sink.recordForecast(r)),
    recordCheckpoint: guard('recordCheckpoint', (r) => sink.recordCheckpoint(r)),
    setRegime: guard('setRegime', (regime: string, step: number, reason?: string) => sink.setRegime(regime, step, reason)),
    recordDecision: guard('recordDecision', (r) => sink.recordDecision(r)),
    async span<T>(name: string, attributes: SpanAttributes, fn: () => T | Promise<T>): Promise<T> {
      let entered = false;
      let result: { value: T } | undefined;
      try {
        return await sink.span(name, attributes, async () => {
          entered = true;
          result = { value: await fn() };
          return result.value;
        });
      } catch (error) {
        if (!entered || result === undefined) {
          if (entered) throw error; // the wrapped function failed: not the sink's fault
          report('span', error);
          return fn();
        }
        report('span', error);
        return result.value;
      }
    },
  };
}

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
