import { ConfigError } from './train-config.ts';

/** The `siamwatch train` flags as commander parses them (all optional; only flags given on the CLI count). */
export interface TrainCliOptions {
  config?: string;
  dataset?: string;
  dataPath?: string;
  labelsPath?: string;
  fraction?: string;
  imageSize?: string;
  maxTrain?: string;
  maxTest?: string;
  method?: string;
  backbone?: string;
  depth?: string;
  width?: string;
  stopGradient?: boolean;
  projectorOutputAffine?: boolean;
  batchSize?: string;
  epochs?: string;
  steps?: string;
  lr?: string;
  weightDecay?: string;
  predictorLr?: string;
  regime?: string;
  chunks?: string;
  evalEvery?: string;
  probeTrain?: string;
  probeTest?: string;
  seed?: string;
  backend?: string;
  workers?: string;
  out?: string;
  resume?: boolean;
  checkpointEvery?: string;
  checkpointSeconds?: string;
  metricsPort?: string;
  monitor?: string;
  logFormat?: string;
  preview?: string;
}

function num(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new ConfigError(`--${flag}: expected a number (got ${JSON.stringify(text)})`, flag);
  }
  return value;
}

function prune(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const pruned = prune(child);
    if (pruned === undefined) continue;
    if (pruned !== null && typeof pruned === 'object' && Object.keys(pruned).length === 0) continue;
    out[key] = pruned;
  }
  return out;
}

/**
 * Maps CLI flags onto the nested config shape (strings turned into numbers; absent flags omitted),
 * ready to be deep-merged over the JSON config file. Non-numeric numbers raise {@link ConfigError}.
 */
export function cliOptionsToConfig(options: TrainCliOptions): Record<string, unknown> {
  const o = options;
  return prune({
    dataset: {
      name: o.dataset,
      path: o.dataPath,
      labelsPath: o.labelsPath,
      fraction: num('fraction', o.fraction),
      imageSize: num('image-size', o.imageSize),
      maxTrain: num('max-train', o.maxTrain),
      maxTest: num('max-test', o.maxTest),
    },
    method: o.method,
    backbone: { kind: o.backbone, depth: num('depth', o.depth), width: num('width', o.width) },
    stopGradient: o.stopGradient,
    projectorOutputAffine: o.projectorOutputAffine,
    batchSize: num('batch-size', o.batchSize),
    epochs: num('epochs', o.epochs),
    steps: num('steps', o.steps),
    baseLr: num('lr', o.lr),
    weightDecay: num('weight-decay', o.weightDecay),
    predictorLr: num('predictor-lr', o.predictorLr),
    regime: { name: o.regime, chunks: num('chunks', o.chunks) },
    eval: {
      everyEpochs: num('eval-every', o.evalEvery),
      probeTrain: num('probe-train', o.probeTrain),
      probeTest: num('probe-test', o.probeTest),
    },
    seed: num('seed', o.seed),
    backend: o.backend,
    workers: num('workers', o.workers),
    out: o.out,
    resume: o.resume,
    checkpoint: {
      everySteps: num('checkpoint-every', o.checkpointEvery),
      everySeconds: num('checkpoint-seconds', o.checkpointSeconds),
    },
    metricsPort: num('metrics-port', o.metricsPort),
    monitor: o.monitor,
    logFormat: o.logFormat,
    preview: o.preview,
  }) as Record<string, unknown>;
}
