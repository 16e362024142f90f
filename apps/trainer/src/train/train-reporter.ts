import cliProgress from 'cli-progress';
import { destination, pino, stdTimeFunctions } from 'pino';
import type { StepEvent, TrainerHooks, TrainLogger, TrainResult, TrainStartEvent } from './trainer-types.ts';

/** How the CLI reports: a progress bar (TTY), pretty lines, or pino JSON lines. */
export interface TrainReporter {
  logger: TrainLogger;
  hooks: TrainerHooks;
  /** Prints the closing figures (linear probe, kNN, AUC) or the stop notice. */
  finish(result: TrainResult): void;
}

function fields(obj: object): string {
  return Object.entries(obj)
    .filter(([key, value]) => key !== 'event' && value !== undefined)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Number(value.toPrecision(4)) : String(value)}`)
    .join(' ');
}

function closingLine(result: TrainResult): string {
  const s = result.summary;
  if (!s) return `stopped at step ${result.step}/${result.totalSteps} (${result.stopReason}); resume with --resume --out ${result.runDir}`;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  return `linear probe accuracy ${pct(s.linearProbeAccuracy)}  kNN accuracy ${pct(s.knnAccuracy)}  AUC ${s.auc.toFixed(3)}  (run: ${result.runDir})`;
}

/**
 * Builds the CLI reporter. `json` (or a non-TTY stream without an explicit format) logs pino JSON
 * to stdout, one record per event and every ~1% of steps; otherwise human lines go to stderr,
 * with a cli-progress bar (ETA, loss, images/s) when stderr is a TTY.
 */
export function createTrainReporter(format: 'pretty' | 'json' | undefined, isTty = Boolean(process.stderr.isTTY)): TrainReporter {
  const json = format === 'json' || (format === undefined && !isTty);
  if (json) {
    const log = pino({ base: undefined, timestamp: stdTimeFunctions.isoTime }, destination({ dest: 1, sync: true }));
    let every = 1;
    return {
      logger: log,
      hooks: {
        onStart(e: TrainStartEvent) {
          every = Math.max(1, Math.round(e.totalSteps / 100));
          log.info({ event: 'start', backend: e.backend, paramCount: e.paramCount, totalSteps: e.totalSteps, startStep: e.startStep, runDir: e.runDir }, `backend ${e.backend}, ${e.paramCount} parameters`);
        },
        onStep(e: StepEvent) {
          if (e.step % every === 0 || e.step === e.totalSteps) log.info({ event: 'step', ...e }, 'step');
        },
        onCheckpoint(e) {
          log.info({ event: 'checkpoint', ...e }, 'checkpoint');
        },
      },
      finish(result) {
        log.info({ event: 'end', status: result.status, step: result.step, ...(result.summary ?? {}) }, closingLine(result));
      },
    };
  }
  const write = (line: string) => process.stderr.write(`${isTty ? '\r\x1b[K' : ''}${line}\n`);
  const bar = isTty
    ? new cliProgress.SingleBar(
        { format: 'train [{bar}] {percentage}% | step {value}/{total} | ETA {eta_formatted} | loss {loss} | {ips} img/s', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const logger: TrainLogger = {
    info: (obj, msg) => write(`${msg ?? ''} ${fields(obj)}`.trim()),
    warn: (obj, msg) => write(`warning: ${msg ?? ''} ${fields(obj)}`.trim()),
  };
  let lastLine = 0;
  return {
    logger,
    hooks: {
      onStart(e) {
        process.stdout.write(`backend ${e.backend}, ${e.paramCount} parameters, ${e.totalSteps} steps, run ${e.runDir}\n`);
        bar?.start(e.totalSteps, e.startStep, { loss: '-', ips: '-' });
      },
      onStep(e) {
        if (bar) bar.update(e.step, { loss: e.loss.toFixed(4), ips: e.imagesPerSecond.toFixed(0) });
        else if (e.step - lastLine >= Math.max(1, Math.round(e.totalSteps / 20)) || e.step === e.totalSteps) {
          lastLine = e.step;
          write(`step ${e.step}/${e.totalSteps} loss=${e.loss.toFixed(4)} lr=${e.lr.toPrecision(3)} img/s=${e.imagesPerSecond.toFixed(0)} regime=${e.regime}`);
        }
      },
    },
    finish(result) {
      bar?.stop();
      process.stdout.write(`${closingLine(result)}\n`);
    },
  };
}
