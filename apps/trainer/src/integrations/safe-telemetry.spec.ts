import { createInMemoryTelemetry, type TelemetrySink } from '@siamwatch/telemetry';
import { describe, expect, it } from 'vitest';
import { guardedHooks, safeTelemetry, telemetryLoggerOf } from './safe-telemetry.ts';

function recordingLogger() {
  const warnings: { obj: Record<string, unknown>; msg: string }[] = [];
  const infos: string[] = [];
  return {
    warnings,
    infos,
    logger: { info: (_o: object, msg?: string) => void infos.push(msg ?? ''), warn: (obj: object, msg?: string) => void warnings.push({ obj: obj as Record<string, unknown>, msg: msg ?? '' }) },
  };
}

const broken = new Error('exporter on fire');
const throwingSink: TelemetrySink = {
  recordStep: () => { throw broken; },
  recordCollapse: () => { throw broken; },
  recordEvaluation: () => { throw broken; },
  recordForecast: () => { throw broken; },
  recordCheckpoint: () => { throw broken; },
  setRegime: () => { throw broken; },
  recordDecision: () => { throw broken; },
  span: () => { throw broken; },
};

describe('safeTelemetry', () => {
  it('never throws from a failing sink and logs the first failures of each method, then every 100th', async () => {
    const { logger, warnings } = recordingLogger();
    const sink = safeTelemetry(throwingSink, logger);
    for (let step = 1; step <= 250; step++) {
      expect(() => sink.recordStep({ step, loss: -0.5, learningRate: 0.1, imagesPerSecond: 100, durationSeconds: 0.01 })).not.toThrow();
    }
    expect(() => sink.setRegime('iid', 0)).not.toThrow();
    expect(sink.failures).toBe(251);
    const stepWarnings = warnings.filter((w) => w.obj['method'] === 'recordStep');
    expect(stepWarnings.map((w) => w.obj['failures'])).toEqual([1, 2, 3, 100, 200]);
    expect(stepWarnings[0]!.msg).toMatch(/recordStep failed \(training goes on\): Error: exporter on fire/);
    // A span whose sink fails still runs the work and returns its value.
    await expect(sink.span('evaluation', { step: 1 }, () => 42)).resolves.toBe(42);
  });

  it('logs a value the telemetry rejects (accuracy outside [0, 1]) instead of throwing it into the loop', () => {
    const { logger, warnings } = recordingLogger();
    const memory = createInMemoryTelemetry();
    const sink = safeTelemetry(memory, logger);
    sink.recordEvaluation({ step: 5, linearProbeAccuracy: 1.7 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toMatch(/1\.7/);
    sink.recordEvaluation({ step: 6, linearProbeAccuracy: 0.7 });
    expect(memory.callsOf('recordEvaluation').map((c) => c.record.step)).toEqual([6]);
  });

  it('lets an error of the wrapped work propagate out of span (only the sink is guarded)', async () => {
    const { logger, warnings } = recordingLogger();
    const sink = safeTelemetry(createInMemoryTelemetry(), logger);
    await expect(sink.span('checkpoint', {}, () => { throw new RangeError('disk full'); })).rejects.toThrow('disk full');
    expect(warnings).toEqual([]);
  });
});

describe('guardedHooks', () => {
  it('turns sync and async hook failures into warnings naming the component and hook', async () => {
    const { logger, warnings } = recordingLogger();
    const hooks = guardedHooks('telemetry', {
      onStep: () => { throw new TypeError('bad step'); },
      onEnd: async () => { throw new Error('late failure'); },
    }, logger);
    await expect(hooks.onStep?.({ step: 1, epoch: 0, totalSteps: 1, loss: 0, lr: 0, imagesPerSecond: 1, regime: 'iid', seenExamples: 1 })).resolves.toBeUndefined();
    await expect(hooks.onEnd?.({ status: 'finished', step: 1, totalSteps: 1, runDir: 'x' })).resolves.toBeUndefined();
    expect(warnings.map((w) => w.msg)).toEqual([
      'telemetry onStep failed (training goes on): TypeError: bad step',
      'telemetry onEnd failed (training goes on): Error: late failure',
    ]);
    expect(hooks.onStart).toBeUndefined();
  });

  it('adapts the trainer logger to the telemetry logger (errors become warnings with level error)', () => {
    const { logger, warnings, infos } = recordingLogger();
    const adapted = telemetryLoggerOf(logger);
    adapted.info({}, 'hello');
    adapted.error({ signal: 'metrics' }, 'dropped');
    expect(infos).toEqual(['hello']);
    expect(warnings).toEqual([{ obj: { level: 'error', signal: 'metrics' }, msg: 'dropped' }]);
  });
});
