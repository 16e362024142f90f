import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Calibration } from './calibration.ts';
import { fitCalibration } from './fit-calibration.ts';
import { PLACEHOLDER_CALIBRATION_URL, defaultCalibration, loadCalibration } from './load-calibration.ts';
import { MonitorError } from './monitor-error.ts';
import { syntheticCorpus } from './testing/synthetic-corpus.ts';
import { placeholderCalibration } from './testing/write-default-calibration.ts';

// A calibration document being corrupted field by field: deliberately untyped JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = Record<string, any>;

const fitted = fitCalibration(syntheticCorpus({ runs: 40, seed: 5 }), { createdAt: '2026-02-03T04:05:06.000Z' });

function mutate(change: (c: Doc) => void): unknown {
  const copy = JSON.parse(JSON.stringify(fitted)) as Doc;
  change(copy);
  return copy;
}

describe('loadCalibration', () => {
  it('round-trips a fitted calibration through JSON exactly', () => {
    const loaded = loadCalibration(JSON.stringify(fitted));
    expect(loaded).toEqual(fitted);
    expect(loadCalibration(JSON.parse(JSON.stringify(fitted)))).toEqual(fitted);
  });

  it.each([
    ['version', (c: Doc) => (c.version = 1), /calibration version must be 2, got 1/],
    ['createdAt', (c: Doc) => (c.createdAt = 'yesterday'), /createdAt must be an ISO date string, got "yesterday"/],
    ['features', (c: Doc) => (c.features[1] = 'backbone.colour'), /calibration features\[1\] must be one of \[progress, /],
    ['method', (c: Doc) => (c.methods = ['moco']), /calibration methods\[0\] must be one of simsiam, byol, got "moco"/],
    ['widening', (c: Doc) => (c.uncoveredMethodWidening = 0.5), /uncoveredMethodWidening must be >= 1, got 0.5/],
    ['weights length', (c: Doc) => c.model.anchors[2].model.weights.push(1), /model\.anchors\[2\]\.model\.weights must be an array of 17 numbers/],
    ['anchor order', (c: Doc) => (c.model.anchors[1].progress = 0.05), /model\.anchors\[1\]\.progress must be increasing/],
    ['scale', (c: Doc) => (c.model.anchors[0].model.scale[3] = 0), /scale\[3\] must be positive, got 0/],
    ['non-finite intercept', (c: Doc) => (c.model.anchors[0].model.intercept = 'x'), /intercept must be a finite number, got "x"/],
    ['widths order', (c: Doc) => (c.residualQuantiles.halfWidths[0][3] = 0), /halfWidths\[0\]\[3\] must be non-negative and non-decreasing/],
    ['levels', (c: Doc) => (c.residualQuantiles.levels = [0.5, 0.4, 0.9, 0.95]), /levels\[1\] must be increasing within \(0, 1\), got 0.4/],
    ['model type', (c: Doc) => (c.model.type = 'gbm'), /model.type must be "ridge-by-progress", got "gbm"/],
  ])('rejects a bad %s with a MonitorError naming the field and value', (_name, change, message) => {
    const bad = mutate(change);
    expect(() => loadCalibration(bad)).toThrow(MonitorError);
    expect(() => loadCalibration(bad)).toThrow(message);
  });

  it('rejects text that is not JSON and non-objects', () => {
    expect(() => loadCalibration('{oops')).toThrow(/calibration is not valid JSON/);
    expect(() => loadCalibration(42)).toThrow(/calibration \(document\) must be an object, got 42/);
  });

  it('the shipped default is validated and fitted from real trainer runs', () => {
    const shipped: Calibration = defaultCalibration();
    expect(shipped.provenance).toBe('trainer-runs');
    expect(shipped.trainingRuns.length).toBeGreaterThanOrEqual(20);
  });

  it('the placeholder is honestly labelled and exactly what the documented synthetic corpus fits to', () => {
    const text = readFileSync(PLACEHOLDER_CALIBRATION_URL, 'utf8');
    const placeholder = loadCalibration(text);
    expect(placeholder.provenance).toBe('synthetic-placeholder');
    expect(placeholder.description).toMatch(/not from real training runs/);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(placeholderCalibration())));
  });
});
