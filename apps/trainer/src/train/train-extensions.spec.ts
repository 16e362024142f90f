import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import { startTrainExtensions, type TrainExtension } from './train-extensions.ts';
import type { Trainer, TrainerHooks } from './trainer-types.ts';

function fakeTrainer(added: TrainerHooks[]): Trainer {
  return {
    run: () => Promise.reject(new Error('not used')),
    switchRegime: () => undefined,
    requestStop: () => undefined,
    addHooks: (hooks) => void added.push(hooks),
  };
}

function recorder() {
  const lines: string[] = [];
  return { lines, logger: { info: (_o: object, m?: string) => void lines.push(`info ${m}`), warn: (_o: object, m?: string) => void lines.push(`warn ${m}`) } };
}

describe('startTrainExtensions', () => {
  it('starts extensions with the trainer and closes them in reverse order', async () => {
    const events: string[] = [];
    const added: TrainerHooks[] = [];
    const make = (name: string): TrainExtension => ({
      name,
      handles: name === 'telemetry' ? ['metricsPort'] : ['monitor'],
      start: ({ trainer, config }) => {
        events.push(`start ${name} port=${config.metricsPort}`);
        trainer.addHooks({ onStep: () => undefined });
        return { close: () => void events.push(`close ${name}`) };
      },
    });
    const { logger, lines } = recorder();
    const config = parseTrainConfig({ metricsPort: 9464, monitor: 'observe' });
    const close = await startTrainExtensions([make('telemetry'), make('monitor')], { config, trainer: fakeTrainer(added), logger, runDir: 'r' });
    expect(added).toHaveLength(2);
    await close();
    expect(events).toEqual(['start telemetry port=9464', 'start monitor port=9464', 'close monitor', 'close telemetry']);
    expect(lines).toEqual([]);
  });

  it('warns about flags no extension serves and logs close failures without throwing', async () => {
    const { logger, lines } = recorder();
    const config = parseTrainConfig({ metricsPort: 9464, monitor: 'act' });
    const failing: TrainExtension = {
      name: 'broken',
      handles: [],
      start: () => ({
        close: () => {
          throw new Error('boom');
        },
      }),
    };
    const close = await startTrainExtensions([failing], { config, trainer: fakeTrainer([]), logger, runDir: 'r' });
    await expect(close()).resolves.toBeUndefined();
    expect(lines.some((l) => l.startsWith('warn --metrics-port'))).toBe(true);
    expect(lines.some((l) => l.startsWith('warn --monitor'))).toBe(true);
    expect(lines.some((l) => l.includes('closing broken failed'))).toBe(true);
  });
});
