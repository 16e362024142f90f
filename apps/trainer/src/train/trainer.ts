import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import type { TrainConfig } from '../config/train-config.ts';
import { evaluate } from '../eval/evaluate.ts';
import { cosineLr } from '../optim/cosine-lr.ts';
import { createRegimeScheduler } from '../regime/regime-scheduler.ts';
import { lastSubsetIndices } from './last-subset.ts';
import { listCheckpoints, loadCheckpoint, saveCheckpoint } from '../run/checkpoint.ts';
import { defaultRunDir, openRunDirectory, type RegimeChange } from '../run/run-directory.ts';
import { createRng, deriveSeed } from '../util/rng.ts';
import { configFingerprint, dueAfterStep, fromCheckpoint, toCheckpoint, type LoopState } from './train-checkpoint-state.ts';
import { buildSummary, evaluationRecord } from './train-records.ts';
import { modelSpecOf, regimeOptionsOf } from './trainer-options.ts';
import { silentLogger, type TrainerDeps } from './trainer-deps.ts';
import {
  TrainError,
  type EvaluationEvent,
  type LiveRegime,
  type StepEvent,
  type Trainer,
  type TrainerHooks,
  type TrainResult,
} from './trainer-types.ts';

/** Config fields that do not change what is computed (excluded from the resume fingerprint). */
const RUNTIME_FIELDS = new Set(['out', 'resume', 'backend', 'workers', 'checkpoint', 'metricsPort', 'monitor', 'logFormat', 'preview', 'previewPairs']);

const HEAVY_FACTORIES = ['resolveBackend', 'loadDataset', 'createModel', 'createAugmenter'] as const;

/** Real backend/data/model/augmenter factories, imported only when one is not injected. */
async function loadDefaults(deps: TrainerDeps): Promise<Partial<TrainerDeps>> {
  if (HEAVY_FACTORIES.every((name) => deps[name] !== undefined)) return {};
  return (await import('./default-trainer-deps.ts')).defaultTrainerDeps;
}

const lightDefaults = {
  cosineLr,
  createScheduler: (config: TrainConfig, numTrain: number, totalSteps: number) =>
    createRegimeScheduler(regimeOptionsOf(config, numTrain, totalSteps)),
} satisfies Partial<TrainerDeps>;

/**
 * Creates the SimSiam/BYOL training loop for a frozen config (Chen & He 2021; Grill et al. 2020).
 * `run()` resolves the backend, loads the data, builds the model, then per step draws the batch
 * from the regime scheduler, makes two augmented views and takes one SGD step with a cosine lr
 * (base x batch / 256); it logs each step to `metrics.jsonl`, evaluates at chosen epochs and at
 * the end, and writes atomic checkpoints. All randomness comes from serialised seeded RNGs, so a
 * run resumed from any checkpoint ends with the same weights and metrics as an uninterrupted one.
 */
export function createTrainer(config: TrainConfig, deps: TrainerDeps = {}): Trainer {
  const hooks: TrainerHooks[] = [...(deps.hooks ?? [])];
  const log = deps.logger ?? silentLogger;
  let pendingRegime: { to: LiveRegime; reason: string } | undefined;
  let stopReason: string | undefined;

  async function emit<K extends keyof TrainerHooks>(name: K, event: Parameters<NonNullable<TrainerHooks[K]>>[0]): Promise<void> {
    for (const hook of hooks) {
      const fn = hook[name] as ((e: typeof event) => void | Promise<void>) | undefined;
      if (fn) await fn.call(hook, event);
    }
  }

  async function run(): Promise<TrainResult> {
    const d = { ...lightDefaults, ...(await loadDefaults(deps)), ...deps } as Required<Omit<TrainerDeps, 'writePreview'>> & TrainerDeps;
    const clock = d.now ?? (() => performance.now());
    const startedAt = clock();
    const runDir = openRunDirectory(config.out ?? defaultRunDir());
    const hasCheckpoints = listCheckpoints(runDir.checkpointsDir).length > 0;
    if (!config.resume && (hasCheckpoints || existsSync(runDir.metricsPath))) {
      throw new TrainError(`run directory "${runDir.dir}" already holds a run: pass --resume to continue it, or choose another --out`);
    }
    const logBackend = (line: string): void => log.info({ event: 'backend' }, line);
    // Worker replicas are wasm: with --workers >= 2, auto means wasm (parseTrainConfig refuses a native choice).
    const choice = config.workers > 1 && config.backend === 'auto' ? 'wasm' : config.backend;
    if (choice !== config.backend) logBackend(`backend: auto -> wasm because --workers ${config.workers} runs wasm replicas`);
    const { backend } = await d.resolveBackend(choice, logBackend);
    const data = await d.loadDataset(config);
    const [h, w, c] = data.imageShape;
    const stepsPerEpoch = Math.ceil(data.train.n / config.batchSize);
    const totalSteps = config.steps ?? Math.max(1, Math.round(config.epochs * stepsPerEpoch));
    const model = d.createModel(modelSpecOf(config, data.imageShape), config.seed);
    try {
      const augmenter = d.createAugmenter(config, data.imageShape);
      const scheduler = d.createScheduler(config, data.train.n, totalSteps);
      const rng = createRng(deriveSeed(config.seed, 0xa06));
      const fingerprint = configFingerprint({
        ...Object.fromEntries(Object.entries(config).filter(([key]) => !RUNTIME_FIELDS.has(key))),
        numTrain: data.train.n,
        totalSteps,
      });
      let state: LoopState = {
        step: 0,
        rng: rng.getState(),
        scheduler: scheduler.getState(),
        regimeHistory: [{ step: 0, regime: scheduler.regime, reason: 'start' }],
        trainSeconds: 0,
        wallSeconds: 0,
        lastLoss: Number.NaN,
        fingerprint,
      };
      const latest = config.resume ? listCheckpoints(runDir.checkpointsDir).at(-1) : undefined;
      if (latest) {
        const checkpoint = loadCheckpoint(latest.file);
        state = fromCheckpoint(checkpoint, latest.file, fingerprint);
        model.setState(checkpoint.tensors);
        rng.setState(state.rng);
        scheduler.setState(state.scheduler as never);
        const dropped = runDir.metrics.truncateAfter(state.step);
        log.info({ event: 'resume', step: state.step, file: latest.file, droppedMetricLines: dropped }, `resuming at step ${state.step}`);
      } else {
        runDir.metrics.truncateAfter(-1);
        runDir.writeConfig(config);
      }
      const wallBefore = state.wallSeconds;
      const wall = () => wallBefore + (clock() - startedAt) / 1000;
      await emit('onStart', {
        config,
        runDir: runDir.dir,
        backend,
        paramCount: model.paramCount,
        numTrain: data.train.n,
        stepsPerEpoch,
        totalSteps,
        startStep: state.step,
        resumed: latest !== undefined,
        model,
        data,
      });
      if (config.preview && !latest) {
        if (!d.writePreview) throw new TrainError(`cannot write preview "${config.preview}": no preview writer injected`);
        await d.writePreview(config.preview, data, augmenter, createRng(deriveSeed(config.seed, 3)), config.previewPairs);
        log.info({ event: 'preview', file: config.preview }, `wrote ${config.previewPairs} augmented pairs to ${config.preview}`);
      }

      // the `last` strategy trains on a strict subset: its images are the first pass of the (single) segment
      const subsetIndices = config.regime.name === 'last' ? lastSubsetIndices(scheduler, totalSteps) : undefined;
      const evalOptions = { ...config.eval, seed: config.seed, ...(subsetIndices ? { subsetIndices } : {}) };
      const runEvaluation = async (epoch: number): Promise<EvaluationEvent> => {
        const event: EvaluationEvent = { ...evaluate(model, data, evalOptions), step: state.step, epoch };
        runDir.metrics.append(
          evaluationRecord(event, {
            totalSteps,
            loss: state.step > 0 ? state.lastLoss : undefined,
            modelParams: model.paramCount,
            dataSize: data.train.n,
          }),
        );
        log.info(
          { event: 'evaluation', step: event.step, epoch, linearProbeAccuracy: event.linearProbeAccuracy, knnAccuracy: event.knnAccuracy, auc: event.backbone.auc },
          'evaluation',
        );
        await emit('onEvaluation', event);
        return event;
      };
      let lastCheckpointStep = state.step;
      let lastCheckpointFile = latest?.file;
      let lastCheckpointAt = clock();
      const checkpoint = async (reason: 'interval' | 'seconds' | 'final' | 'stop') => {
        state.rng = rng.getState();
        state.scheduler = scheduler.getState();
        state.wallSeconds = wall();
        const writeStarted = clock();
        const file = saveCheckpoint(runDir.checkpointsDir, toCheckpoint(state, model.getState()), config.checkpoint.keep);
        lastCheckpointStep = state.step;
        lastCheckpointFile = file;
        lastCheckpointAt = clock();
        await emit('onCheckpoint', { step: state.step, file, reason, durationSeconds: (clock() - writeStarted) / 1000 });
      };

      if (!latest && config.eval.atStart) {
        const init = await runEvaluation(0);
        state.initEvaluation = { linearProbeAccuracy: init.linearProbeAccuracy, knnAccuracy: init.knnAccuracy, auc: init.backbone.auc };
      }
      const evalEverySteps = config.eval.everyEpochs > 0 ? Math.max(1, Math.round(config.eval.everyEpochs * stepsPerEpoch)) : 0;
      const imageSize = h * w * c;
      const scale = config.batchSize / 256;
      // The regime a step trains in: a hybrid run reports its phase (continual, then iid).
      const regimeAt = (step: number): string =>
        scheduler.regime === 'hybrid' && scheduler.phaseAt ? scheduler.phaseAt(step).phase : scheduler.regime;
      let previousRegime = regimeAt(Math.max(0, state.step - 1));
      while (state.step < totalSteps && stopReason === undefined) {
        if (pendingRegime) {
          scheduler.switchTo(pendingRegime.to, state.step);
          const change: RegimeChange = { step: state.step, regime: pendingRegime.to, reason: pendingRegime.reason };
          pendingRegime = undefined;
          state.regimeHistory.push(change);
          log.info({ event: 'regime', ...change }, `regime -> ${change.regime}`);
          await emit('onRegimeChange', change);
          previousRegime = regimeAt(state.step);
        }
        const stepRegime = regimeAt(state.step);
        if (stepRegime !== previousRegime && scheduler.regime === 'hybrid') {
          const change: RegimeChange = { step: state.step, regime: stepRegime, reason: 'hybrid schedule' };
          state.regimeHistory.push(change);
          log.info({ event: 'regime', ...change }, `regime -> ${change.regime}`);
          await emit('onRegimeChange', change);
        }
        previousRegime = stepRegime;
        const t0 = clock();
        const indices = scheduler.batchIndices(state.step);
        const batch = new Float32Array(indices.length * imageSize);
        for (let i = 0; i < indices.length; i++) {
          batch.set(data.train.x.subarray(indices[i]! * imageSize, (indices[i]! + 1) * imageSize), i * imageSize);
        }
        const lr = d.cosineLr({ base: config.baseLr * scale, step: state.step, totalSteps, warmupSteps: config.warmupSteps });
        const lrs = { base: lr, predictor: config.predictorLr === undefined ? undefined : config.predictorLr * scale };
        const loss = tf.tidy(() => {
          const [v1, v2] = augmenter.pair(tf.tensor4d(batch, [indices.length, h, w, c]), rng);
          return model.trainStep(v1, v2, lrs).loss;
        });
        if (!Number.isFinite(loss)) throw new TrainError(`loss is ${loss} at step ${state.step + 1}: training diverged`);
        state.step++;
        const seconds = (clock() - t0) / 1000;
        state.trainSeconds += seconds;
        state.lastLoss = loss;
        const event: StepEvent = {
          step: state.step,
          epoch: state.step / stepsPerEpoch,
          totalSteps,
          loss,
          lr,
          imagesPerSecond: indices.length / Math.max(seconds, 1e-9),
          regime: stepRegime,
          seenExamples: scheduler.seenExamples(state.step),
        };
        const { totalSteps: _total, ...fields } = event;
        runDir.metrics.append({ type: 'step', ...fields });
        await emit('onStep', event);
        const due = dueAfterStep({
          step: state.step,
          totalSteps,
          evalEverySteps,
          checkpointEverySteps: config.checkpoint.everySteps,
          checkpointEverySeconds: config.checkpoint.everySeconds,
          secondsSinceCheckpoint: (clock() - lastCheckpointAt) / 1000,
        });
        if (due.evaluate) state.lastEvaluation = await runEvaluation(state.step / stepsPerEpoch);
        if (due.checkpoint) await checkpoint(due.checkpoint);
        await new Promise<void>((resolve) => setImmediate(resolve)); // let signals and servers run
      }
      if (state.step < totalSteps) {
        if (lastCheckpointStep !== state.step || !lastCheckpointFile) await checkpoint('stop');
        log.info({ event: 'stopped', step: state.step, reason: stopReason }, `stopped at step ${state.step}: ${stopReason}`);
        const result: TrainResult = { status: 'stopped', step: state.step, totalSteps, runDir: runDir.dir, stopReason, checkpointFile: lastCheckpointFile };
        await emit('onEnd', result);
        return result;
      }
      const summary = buildSummary({ state, backend, paramCount: model.paramCount, batchSize: config.batchSize, stepsPerEpoch, seconds: wall() });
      runDir.writeSummary(summary);
      const result: TrainResult = { status: 'finished', step: state.step, totalSteps, runDir: runDir.dir, summary, checkpointFile: lastCheckpointFile };
      await emit('onEnd', result);
      return result;
    } finally {
      runDir.metrics.close();
      model.dispose();
    }
  }

  return {
    run,
    switchRegime(to, reason) {
      if (to !== 'iid' && to !== 'continual') throw new TrainError(`cannot switch to regime ${JSON.stringify(to)}: only iid or continual`);
      pendingRegime = { to, reason };
    },
    requestStop(reason) {
      stopReason ??= reason;
    },
    addHooks(extra) {
      hooks.push(extra);
    },
  };
}
