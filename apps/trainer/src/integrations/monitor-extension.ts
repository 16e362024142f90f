import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMonitor, type Monitor, type MonitorCheck, type MonitorOptions } from '@siamwatch/monitor';
import { writeFileAtomicSync } from '@siamwatch/embedding-io';
import type { RegimeChange } from '../run/run-directory.ts';
import { MetricsLog, readMetrics } from '../run/metrics-log.ts';
import type { TrainExtension } from '../train/train-extensions.ts';
import type { Trainer, TrainLogger, TrainStartEvent } from '../train/trainer-types.ts';
import { collapseRecordFromCheck } from './collapse-records.ts';
import type { IntegrationBus } from './train-integrations.ts';
import {
  forecastAtHalf,
  monitorLine,
  monitorRegimeOf,
  parseMonitorLine,
  telemetryDecisionOf,
  type SummaryDecision,
  type SummaryForecast,
} from './monitor-records.ts';
import { DEFAULT_MONITOR_SUBSET, MonitoringSubset } from './monitoring-subset.ts';

/** Options of {@link monitorExtension}. */
export interface MonitorExtensionOptions {
  bus: IntegrationBus;
  /** Training images embedded at every check; default {@link DEFAULT_MONITOR_SUBSET}. */
  subsetSize?: number;
  /** K; default {@link autoCheckEvery} of the run's total steps. */
  checkEvery?: number;
  /** Extra `createMonitor` options (policy and context come from the run). */
  monitor?: Omit<MonitorOptions, 'policy' | 'context'>;
}

/** Default K: about 40 checks per run, between 1 and 100 steps apart. */
export function autoCheckEvery(totalSteps: number): number {
  return Math.min(100, Math.max(1, Math.round(totalSteps / 40)));
}

/**
 * Monitor options the trainer passes: the wall-time cost governor is off (`maxOverhead: 1`), so the
 * checks happen at exactly every K-th step and a run (or a resumed run) makes the same decisions for
 * the same seed whatever the machine's load; K is chosen so that checks cost about 1% of training
 * (see bench-monitor). The forecast-plateau early stop (decision rule 6) is held until the end of
 * training (`minProgress: 1`): with the shipped calibration the forecast's own error (held-out MAE
 * ~4 points, docs/monitor-evaluation.md) and its check-to-check noise on a 256-image subset are
 * larger than the improvements the plateau rule looks for, so on a healthy run it would stop
 * training on noise. Pass `decision.minProgress` to turn it on. Collapse detection and the
 * collapse decisions (switch, severe-collapse stop) are untouched.
 */
function resolvedMonitorOptions(start: TrainStartEvent, policy: 'observe' | 'act', options: MonitorExtensionOptions): MonitorOptions {
  return {
    maxOverhead: 1,
    ...options.monitor,
    decision: { minProgress: 1, ...options.monitor?.decision },
    checkEvery: options.checkEvery ?? options.monitor?.checkEvery ?? autoCheckEvery(start.totalSteps),
    policy,
    context: { modelParams: start.paramCount, dataSize: start.numTrain, method: start.config.method },
  };
}

function applyDecision(check: MonitorCheck, trainer: Trainer): boolean {
  const { action, reason } = check.decision;
  if (action === 'switch-to-continual') trainer.switchRegime('continual', `monitor: ${reason}`);
  else if (action === 'switch-to-iid') trainer.switchRegime('iid', `monitor: ${reason}`);
  else if (action === 'early-stop') trainer.requestStop(`monitor: ${reason}`);
  else return false;
  return true;
}

/**
 * The collapse monitor of `siamwatch train --monitor observe|act` (Li, Efros & Pathak 2022). Every K
 * steps (`monitor.due`) it embeds a fixed subset of training images in inference mode, observes the
 * backbone and projector rows, checks, and appends the check to `metrics.jsonl` (`type: 'monitor'`,
 * with `decision`, `reason`, `forecast`); with `act` it applies the decision to the running loop
 * (`switchRegime` / `requestStop`). Checks, forecasts and decisions go to the telemetry on the bus.
 * `summary.json` gains `forecastAtHalf` and `decisions`; when the monitor stopped the run (no trainer summary)
 * it writes a `status: 'stopped'` summary with the stop reason, regime history, forecast and decisions. On `--resume` it replays the run's check
 * lines (`monitor.restore`) so onset state and decision windows continue.
 */
export function monitorExtension(options: MonitorExtensionOptions): TrainExtension {
  return {
    name: 'monitor',
    handles: ['monitor'],
    start({ config, trainer, logger, runDir }) {
      if (config.monitor === 'off') return undefined;
      const policy = config.monitor;
      const metricsPath = join(runDir, 'metrics.jsonl');
      const log = new MetricsLog(metricsPath);
      const forecasts: SummaryForecast[] = [];
      const decisions: SummaryDecision[] = [];
      const regimeHistory: RegimeChange[] = [];
      let run: { start: TrainStartEvent; monitor: Monitor; subset: MonitoringSubset } | undefined;
      trainer.addHooks({
        onStart(start) {
          regimeHistory.push({ step: start.startStep, regime: start.config.regime.name, reason: start.resumed ? 'resume' : 'start' });
          const monitor = createMonitor(resolvedMonitorOptions(start, policy, options));
          for (const warning of monitor.warnings) logger.warn({ event: 'monitor-calibration', method: start.config.method }, `monitor: ${warning}`);
          const subset = new MonitoringSubset(start.data.train, start.data.imageShape, options.subsetSize ?? DEFAULT_MONITOR_SUBSET, config.seed, config.eval.batchSize);
          if (start.resumed && existsSync(metricsPath)) {
            const lines = readMetrics(metricsPath).filter((r) => r['type'] === 'monitor');
            const replayed = monitor.restore(lines);
            for (const line of lines) {
              const parsed = parseMonitorLine(line);
              if (!parsed) continue;
              forecasts.push(parsed.forecast);
              if (parsed.decision.decision !== 'continue') decisions.push(parsed.decision);
            }
            logger.info({ event: 'monitor-restore', checks: replayed }, `monitor: replayed ${replayed} checks`);
          }
          run = { start, monitor, subset };
          logger.info({ event: 'monitor', policy, subset: subset.indices.length }, `collapse monitor: ${policy}, ${subset.indices.length} images every K steps`);
        },
        onStep(event) {
          if (!run) return;
          const { monitor, subset, start } = run;
          if (!monitor.due(event.step)) {
            monitor.observe({ step: event.step, loss: event.loss });
            return;
          }
          monitor.observe({ step: event.step, loss: event.loss, ...subset.embed(start.model) });
          const check = monitor.check({ step: event.step, totalSteps: event.totalSteps, regime: monitorRegimeOf(event.regime, event.totalSteps, start.stepsPerEpoch) });
          log.append(monitorLine(check));
          reportCheck(check, options.bus, logger);
          forecasts.push({ step: check.step, point: check.forecast.point, low: check.forecast.low, high: check.forecast.high });
          if (check.decision.decision === 'continue') return;
          const applied = applyDecision(check, trainer);
          decisions.push({ step: check.step, decision: check.decision.decision, reason: check.decision.reason, applied });
          const record = telemetryDecisionOf(check);
          if (applied && record) options.bus.sink.recordDecision(record);
          else logger.warn({ event: 'monitor-advice', step: check.step, decision: check.decision.decision, reason: check.decision.reason }, `monitor suggests ${check.decision.decision} (observe only): ${check.decision.reason}`);
        },
        onRegimeChange(change) {
          regimeHistory.push(change);
        },
        onEnd(result) {
          log.close();
          if (!run) return;
          const half = forecastAtHalf(forecasts, result.totalSteps);
          const fields = { ...(half ? { forecastAtHalf: half } : {}), decisions };
          if (result.summary) {
            Object.assign(result.summary, fields);
            writeFileAtomicSync(join(result.runDir, 'summary.json'), `${JSON.stringify(result.summary, null, 2)}\n`);
          } else if (result.status === 'stopped' && result.stopReason?.startsWith('monitor:')) {
            // The trainer writes no summary for a stopped run; a monitor early stop is how this run ends, so record it.
            const stopped = { status: 'stopped', stopped: result.stopReason, steps: result.step, totalSteps: result.totalSteps, checkpointFile: result.checkpointFile, regimeHistory, ...fields };
            writeFileAtomicSync(join(result.runDir, 'summary.json'), `${JSON.stringify(stopped, null, 2)}\n`);
          }
        },
      });
      return { close: () => log.close() };
    },
  };
}

function reportCheck(check: MonitorCheck, bus: IntegrationBus, logger: TrainLogger): void {
  const { backbone, projector } = check.metrics;
  if (backbone) bus.sink.recordCollapse(collapseRecordFromCheck(check.step, 'backbone', backbone));
  if (projector) bus.sink.recordCollapse(collapseRecordFromCheck(check.step, 'projector', projector));
  bus.sink.recordForecast({ step: check.step, point: check.forecast.point, low: check.forecast.low, high: check.forecast.high });
  if (check.onset.transition) {
    logger.warn({ event: 'monitor-onset', ...check.onset.transition }, `monitor: onset state -> ${check.onset.state}`);
  }
}

/** Reads `summary.json` of a run directory (tests and tools). */
export function readSummary(runDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
}
