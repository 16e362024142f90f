import { readFileSync } from 'node:fs';
import { CALIBRATION_VERSION, type Calibration } from './calibration.ts';
import { FEATURE_CATALOGUE } from './forecast-features.ts';
import { SSL_METHODS } from './ssl-method.ts';
import { MonitorError, describeValue } from './monitor-error.ts';

type Json = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  throw new MonitorError('invalid-calibration', `calibration ${path} must be ${expected}, got ${describeValue(value)}`);
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Json;
}

function finite(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
  return value;
}

function numbers(value: unknown, path: string, length?: number): number[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    fail(path, `an array of ${length ?? 'some'} numbers`, value);
  }
  return value.map((v, i) => finite(v, `${path}[${i}]`));
}

function array(value: unknown, path: string, minLength = 0): unknown[] {
  if (!Array.isArray(value) || value.length < minLength) fail(path, `an array of at least ${minLength} entries`, value);
  return value;
}

function checkModel(raw: Json, featureCount: number): number {
  const model = object(raw.model, 'model');
  if (model.type !== 'ridge-by-progress') fail('model.type', '"ridge-by-progress"', model.type);
  finite(model.trendWindow, 'model.trendWindow');
  const ctx = object(model.contextMean, 'model.contextMean');
  finite(ctx.logModelParams, 'model.contextMean.logModelParams');
  finite(ctx.logDataSize, 'model.contextMean.logDataSize');
  const anchors = array(model.anchors, 'model.anchors', 1);
  let previous = -Infinity;
  anchors.forEach((a, i) => {
    const path = `model.anchors[${i}]`;
    const anchor = object(a, path);
    const progress = finite(anchor.progress, `${path}.progress`);
    if (progress <= previous || progress < 0 || progress > 1) fail(`${path}.progress`, 'increasing within [0, 1]', progress);
    previous = progress;
    const m = object(anchor.model, `${path}.model`);
    numbers(m.mean, `${path}.model.mean`, featureCount);
    const lower = numbers(m.lower, `${path}.model.lower`, featureCount);
    numbers(m.upper, `${path}.model.upper`, featureCount).forEach((u, j) => {
      if (u < lower[j]) fail(`${path}.model.upper[${j}]`, `>= lower (${lower[j]})`, u);
    });
    numbers(m.scale, `${path}.model.scale`, featureCount).forEach((s, j) => {
      if (s <= 0) fail(`${path}.model.scale[${j}]`, 'positive', s);
    });
    numbers(m.weights, `${path}.model.weights`, featureCount);
    finite(m.intercept, `${path}.model.intercept`);
    finite(m.lambda, `${path}.model.lambda`);
    finite(anchor.nTrain, `${path}.nTrain`);
    finite(anchor.cvRmse, `${path}.cvRmse`);
  });
  return anchors.length;
}

function checkExpected(value: unknown, anchorCount: number): void {
  const list = array(value, 'expectedTrajectory');
  if (list.length !== anchorCount) fail('expectedTrajectory', `an array of ${anchorCount} anchors`, `${list.length} anchors`);
  list.forEach((a, i) => {
    const anchor = object(a, `expectedTrajectory[${i}]`);
    finite(anchor.progress, `expectedTrajectory[${i}].progress`);
    const metrics = object(anchor.metrics, `expectedTrajectory[${i}].metrics`);
    for (const name of ['backbone.auc', 'backbone.logRankme']) {
      const path = `expectedTrajectory[${i}].metrics["${name}"]`;
      const metric = object(metrics[name], path);
      numbers(metric.coefficients, `${path}.coefficients`, 3);
      if (finite(metric.residualSd, `${path}.residualSd`) <= 0) fail(`${path}.residualSd`, 'positive', metric.residualSd);
    }
  });
}

/**
 * Parses and validates a calibration document (a JSON string or an already parsed
 * value) and returns it typed. Throws `MonitorError` with code `invalid-calibration`
 * naming the offending field and value: wrong `version`, a feature outside the
 * {@link FEATURE_CATALOGUE}, an unknown method, model vectors of the wrong length, non-increasing
 * anchors, interval widths that are not non-decreasing in the level, and so on.
 */
export function loadCalibration(json: unknown): Calibration {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new MonitorError('invalid-calibration', `calibration is not valid JSON: ${(error as Error).message}`);
    }
  }
  const raw = object(value, '(document)');
  if (raw.version !== CALIBRATION_VERSION) fail('version', String(CALIBRATION_VERSION), raw.version);
  if (typeof raw.createdAt !== 'string' || Number.isNaN(Date.parse(raw.createdAt))) fail('createdAt', 'an ISO date string', raw.createdAt);
  if (typeof raw.provenance !== 'string' || raw.provenance.length === 0) fail('provenance', 'a non-empty string', raw.provenance);
  const features = array(raw.features, 'features', 1);
  features.forEach((f, i) => {
    if (!(FEATURE_CATALOGUE as readonly unknown[]).includes(f)) fail(`features[${i}]`, `one of [${FEATURE_CATALOGUE.join(', ')}]`, f);
  });
  array(raw.methods, 'methods', 1).forEach((m, i) => {
    if (!(SSL_METHODS as readonly unknown[]).includes(m)) fail(`methods[${i}]`, `one of ${SSL_METHODS.join(', ')}`, m);
  });
  if (finite(raw.uncoveredMethodWidening, 'uncoveredMethodWidening') < 1) fail('uncoveredMethodWidening', '>= 1', raw.uncoveredMethodWidening);
  const anchorCount = checkModel(raw, features.length);
  const rq = object(raw.residualQuantiles, 'residualQuantiles');
  if (rq.method !== 'group-cv-conformal') fail('residualQuantiles.method', '"group-cv-conformal"', rq.method);
  finite(rq.groups, 'residualQuantiles.groups');
  const levels = numbers(rq.levels, 'residualQuantiles.levels');
  levels.forEach((l, i) => {
    if (!(l > 0 && l < 1) || (i > 0 && l <= levels[i - 1])) fail(`residualQuantiles.levels[${i}]`, 'increasing within (0, 1)', l);
  });
  const widths = array(rq.halfWidths, 'residualQuantiles.halfWidths');
  if (widths.length !== anchorCount) fail('residualQuantiles.halfWidths', `one row per anchor (${anchorCount})`, `${widths.length} rows`);
  widths.forEach((row, a) => {
    numbers(row, `residualQuantiles.halfWidths[${a}]`, levels.length).forEach((w, l, all) => {
      if (w < 0 || (l > 0 && w < all[l - 1])) fail(`residualQuantiles.halfWidths[${a}][${l}]`, 'non-negative and non-decreasing in the level', w);
    });
  });
  if (raw.expectedTrajectory !== undefined) checkExpected(raw.expectedTrajectory, anchorCount);
  array(raw.trainingRuns, 'trainingRuns').forEach((r, i) => {
    const run = object(r, `trainingRuns[${i}]`);
    finite(run.finalLinearProbeAccuracy, `trainingRuns[${i}].finalLinearProbeAccuracy`);
  });
  return raw as unknown as Calibration;
}

/** Location of the calibration shipped with the library (`libs/monitor/calibration/default.json`). */
export const DEFAULT_CALIBRATION_URL = new URL('../calibration/default.json', import.meta.url);

/**
 * Location of the synthetic placeholder calibration (`libs/monitor/calibration/synthetic-placeholder.json`),
 * fitted from the documented synthetic corpus; the monitor's own tests use it so that they do not
 * depend on the trainer runs behind the shipped default.
 */
export const PLACEHOLDER_CALIBRATION_URL = new URL('../calibration/synthetic-placeholder.json', import.meta.url);

let cached: Calibration | undefined;

/**
 * The calibration shipped with the library, loaded and validated on first use: fitted by
 * `npm run monitor:evaluate` (tools/src/monitor-evaluation) from real `siamwatch train` runs
 * (`provenance: "trainer-runs"`; its held-out evaluation is docs/monitor-evaluation.md).
 */
export function defaultCalibration(): Calibration {
  cached ??= loadCalibration(readFileSync(DEFAULT_CALIBRATION_URL, 'utf8'));
  return cached;
}
