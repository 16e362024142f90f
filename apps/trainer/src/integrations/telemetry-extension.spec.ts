import { createInMemoryTelemetry, type Telemetry, type TelemetryOptions } from '@siamwatch/telemetry';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import { startTrainExtensions } from '../train/train-extensions.ts';
import type { Trainer, TrainerHooks } from '../train/trainer-types.ts';
import { runIdOf } from './telemetry-extension.ts';
import { trainIntegrations } from './train-integrations.ts';

function harness(flags: { metricsPort?: number; monitor?: 'off' | 'observe' }, env: Record<string, string>) {
  const created: TelemetryOptions[] = [];
  const telemetries: Telemetry[] = [];
  const hooks: TrainerHooks[] = [];
  const lines: string[] = [];
  const logger = { info: (_o: object, msg?: string) => void lines.push(msg ?? ''), warn: (_o: object, msg?: string) => void lines.push(`WARN ${msg ?? ''}`) };
  const trainer: Trainer = { run: () => Promise.reject(new Error('not used')), switchRegime: () => undefined, requestStop: () => undefined, addHooks: (h) => void hooks.push(h) };
  const config = parseTrainConfig({ ...flags, out: 'runs/2026-11-29T213000Z' });
  const extensions = trainIntegrations({
    env,
    createTelemetry: async (options) => {
      created.push(options);
      const memory = createInMemoryTelemetry(options.runId);
      const withUrl = Object.assign(Object.create(memory) as Telemetry, { url: options.port === undefined ? undefined : `http://127.0.0.1:${options.port}` });
      telemetries.push(withUrl);
      return withUrl;
    },
  });
  return { start: () => startTrainExtensions(extensions, { config, trainer, logger, runDir: config.out! }), created, hooks, lines, telemetries };
}

describe('telemetry extension', () => {
  it('starts nothing without --metrics-port and without OTLP settings', async () => {
    const h = harness({}, {});
    await (await h.start())();
    expect(h.created).toEqual([]);
    expect(h.hooks).toEqual([]);
  });

  it('serves on 127.0.0.1:P with --metrics-port P, prints the /metrics and live page URLs, and attaches hooks', async () => {
    const h = harness({ metricsPort: 9471 }, {});
    const close = await h.start();
    expect(h.created).toHaveLength(1);
    expect(h.created[0]).toMatchObject({ runId: '2026-11-29T213000Z', port: 9471, host: '127.0.0.1' });
    expect(h.created[0]!.otlp).toBeUndefined();
    expect(h.lines).toContain('metrics: http://127.0.0.1:9471/metrics  live page: http://127.0.0.1:9471/');
    expect(h.hooks).toHaveLength(1);
    expect(Object.keys(h.hooks[0]!).sort()).toEqual(['onCheckpoint', 'onEnd', 'onEvaluation', 'onRegimeChange', 'onStart', 'onStep']);
    await close();
  });

  it('only pushes OTLP when the endpoint is set in the environment and no port is given', async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SERVICE_NAME: 'lab' };
    const h = harness({}, env);
    await (await h.start())();
    expect(h.created).toHaveLength(1);
    expect(h.created[0]!.env).toEqual(env);
    expect(h.created[0]!.port).toBeUndefined();
    expect(h.created[0]!.otlp).toMatchObject({ endpoint: 'http://127.0.0.1:4318' });
    expect(h.lines).toContain('pushing OTLP to http://127.0.0.1:4318');
    expect(h.lines.some((l) => l.startsWith('metrics:'))).toBe(false);
  });

  it('shares the sink with the monitor: both extensions attach hooks and no flag is reported unserved', async () => {
    const h = harness({ metricsPort: 9472, monitor: 'observe' }, {});
    await (await h.start())();
    expect(h.hooks).toHaveLength(2);
    expect(h.lines.filter((l) => l.startsWith('WARN'))).toEqual([]);
  });

  it('derives the run id from the run directory', () => {
    expect(runIdOf('runs/2026-11-29T213000Z')).toBe('2026-11-29T213000Z');
    expect(runIdOf('/tmp/x/run/')).toBe('run');
    expect(runIdOf('.')).toBe('run');
  });
});
