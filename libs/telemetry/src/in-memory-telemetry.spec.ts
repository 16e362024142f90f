import { describe, expect, it } from 'vitest';
import { createInMemoryTelemetry } from './in-memory-telemetry.ts';
import { createNoopTelemetry, silentLogger } from './null-telemetry.ts';
import { TelemetryInputError } from './record-validation.ts';
import type { TelemetrySink } from './telemetry-types.ts';

/** What a trainer does per epoch, written against the interface only. */
async function fakeEpoch(sink: TelemetrySink, epoch: number): Promise<number> {
  return sink.span('epoch', { epoch }, async () => {
    for (let s = 0; s < 3; s++) sink.recordStep({ step: epoch * 3 + s, loss: -0.9, learningRate: 0.1, imagesPerSecond: 10, durationSeconds: 0.1, epoch });
    await sink.span('evaluation', { epoch }, () => sink.recordEvaluation({ step: epoch * 3 + 2, linearProbeAccuracy: 0.3 }));
    return epoch * 3 + 3;
  });
}

describe('createInMemoryTelemetry', () => {
  it('records every call in order with copies of the records', async () => {
    const t = createInMemoryTelemetry('mem');
    const step = { step: 0, loss: -0.5, learningRate: 0.1, imagesPerSecond: 10, durationSeconds: 0.1 };
    t.recordStep(step);
    step.loss = 99;
    expect(await fakeEpoch(t, 1)).toBe(6);
    t.recordDecision({ step: 6, decision: 'switch_regime', reasonClass: 'collapse_onset', reason: 'AUC > 0.9', regime: 'cumulative' });
    await t.shutdown();
    expect(t.callsOf('recordStep')).toHaveLength(4);
    expect(t.callsOf('recordStep')[0]!.record.loss).toBe(-0.5);
    expect(t.callsOf('span').map((s) => [s.name, s.parent, s.status])).toEqual([
      ['evaluation', 'epoch', 'ok'],
      ['epoch', undefined, 'ok'],
    ]);
    expect(t.callsOf('setRegime')).toEqual([{ method: 'setRegime', regime: 'cumulative', step: 6, reason: 'AUC > 0.9' }]);
    expect(t.calls.at(-1)).toEqual({ method: 'shutdown' });
    expect(t.snapshot().regimes.current).toBe('cumulative');
    expect(t.snapshot().steps.step).toEqual([0, 3, 4, 5]);
  });

  it('marks failed spans and rethrows', async () => {
    const t = createInMemoryTelemetry();
    await expect(t.span('checkpoint', { step: 1 }, () => { throw new Error('EIO'); })).rejects.toThrow('EIO');
    expect(t.callsOf('span')[0]).toMatchObject({ name: 'checkpoint', status: 'error' });
  });

  it('validates like the real telemetry', () => {
    const t = createInMemoryTelemetry();
    expect(() => t.recordEvaluation({ step: 1, knnAccuracy: -0.1 })).toThrow(TelemetryInputError);
    expect(() => t.setRegime('Not A Label', 0)).toThrow(/"Not A Label"/);
    expect(() => t.recordDecision({ step: 1, decision: 'switch_regime', reasonClass: 'x', reason: 'no target' })).toThrow(/regime/);
    expect(t.calls).toHaveLength(0);
  });
});

describe('createNoopTelemetry', () => {
  it('accepts every call, runs spans and serves nothing', async () => {
    const t = createNoopTelemetry();
    expect(await fakeEpoch(t, 2)).toBe(9);
    expect(t.url).toBeUndefined();
    await expect(t.flush()).resolves.toBeUndefined();
    expect(() => silentLogger.warn({}, 'dropped')).not.toThrow();
  });
});
