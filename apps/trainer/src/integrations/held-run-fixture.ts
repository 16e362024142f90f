import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrainConfig, type TrainConfigInput } from '../config/train-config.ts';
import { startTrainExtensions } from '../train/train-extensions.ts';
import type { TrainResult } from '../train/trainer-types.ts';
import { trainIntegrations, type TrainIntegrationsOptions } from './train-integrations.ts';

/** A free TCP port on 127.0.0.1 (bound then released). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** A real training run whose telemetry stays up after the last step until `release()`. */
export interface HeldRun {
  runDir: string;
  port: number;
  /** Log lines of the run (`msg` of each structured line). */
  lines: string[];
  /** Resolves when training is over (finished or stopped) and the run is being held. */
  trained: Promise<TrainResult>;
  /** Lets the run end: closes the telemetry and monitor; resolves when everything is shut down. */
  release(): Promise<void>;
}

/**
 * Test fixture: trains `config` in this process with the real integrations of `siamwatch train`
 * (`--metrics-port` on a free loopback port, the monitor as configured), and holds the run in its
 * `onEnd` hook so that Prometheus or a browser can keep reading `/metrics` and the live page after
 * the last step; `release()` ends it. The monitor checks at every K-th step (`maxOverhead: 1`, no
 * cost governor), so which checks happen does not depend on the machine's load.
 */
export async function startHeldRun(config: TrainConfigInput, integrations: TrainIntegrationsOptions = { monitor: { monitor: { maxOverhead: 1 } } }): Promise<HeldRun> {
  const port = await freePort();
  const runDir = join(mkdtempSync(join(tmpdir(), 'siamwatch-held-')), 'run');
  const frozen = parseTrainConfig({ ...config, out: runDir, metricsPort: port });
  const { createTrainer } = await import('../train/trainer.ts');
  const lines: string[] = [];
  const logger = {
    info: (_obj: object, msg?: string) => void lines.push(msg ?? ''),
    warn: (_obj: object, msg?: string) => void lines.push(msg ?? ''),
  };
  let releaseHold: () => void = () => undefined;
  const hold = new Promise<void>((done) => (releaseHold = done));
  let markTrained: (result: TrainResult) => void = () => undefined;
  const trained = new Promise<TrainResult>((done) => (markTrained = done));
  const trainer = createTrainer(frozen, { logger });
  const close = await startTrainExtensions(trainIntegrations({ env: {}, ...integrations }), { config: frozen, trainer, logger, runDir });
  trainer.addHooks({
    async onEnd(result) {
      markTrained(result);
      await hold;
    },
  });
  const running = trainer.run().finally(close);
  running.catch(() => undefined);
  return {
    runDir,
    port,
    lines,
    trained: Promise.race([trained, running.then(() => trained)]),
    async release() {
      releaseHold();
      await running.catch(() => undefined);
    },
  };
}
