import { describe, expect, it } from 'vitest';
import { fitCalibration } from './fit-calibration.ts';
import { forecastAccuracy } from './forecast.ts';
import { FEATURE_CATALOGUE, FORECAST_FEATURES, forecastFeatures, type TrajectoryPoint } from './forecast-features.ts';
import { syntheticCorpus } from './testing/synthetic-corpus.ts';

const calibration = fitCalibration(syntheticCorpus({ runs: 80, seed: 3 }), { createdAt: '2026-01-01T00:00:00.000Z' });

const point = (step: number, auc: number, rankme: number): TrajectoryPoint => ({
  step, totalSteps: 100, loss: -0.3 - step / 200, backbone: { auc, rankme, alpha: 0.5, normalizedStd: 0.8, dim: 64 },
});

describe('forecastFeatures', () => {
  it('builds the named features from the history up to the index, NaN when unknown', () => {
    const history = [point(0, 0.65, 55), point(10, 0.67, 52), point(20, 0.69, 49)];
    const names = [...FEATURE_CATALOGUE];
    const x = forecastFeatures(history, 2, { modelParams: Math.E ** 10 }, 4, names);
    const get = (name: (typeof FEATURE_CATALOGUE)[number]) => x[names.indexOf(name)];
    expect(x).toHaveLength(names.length);
    expect(get('progress')).toBeCloseTo(0.2, 12);
    expect(get('backbone.aucTrend')).toBeCloseTo(0.2, 9);
    expect(get('backbone.logRankme')).toBeCloseTo(Math.log(49), 12);
    expect(get('backbone.logRankmeFrac')).toBeCloseTo(Math.log(49 / 64), 12);
    expect(get('backbone.logRankmeVsPeak')).toBeCloseTo(Math.log(49 / 55), 12);
    // floor of a 64-d output: 65/128; (0.69 - 65/128) / (1 - 65/128)
    expect(get('backbone.aucRel')).toBeCloseTo((0.69 - 65 / 128) / (63 / 128), 12);
    expect(get('logModelParams')).toBeCloseTo(10, 12);
    expect(get('method.byol')).toBe(0);
    expect(Number.isNaN(get('logDataSize'))).toBe(true);
    expect(Number.isNaN(get('projector.auc'))).toBe(true);
    expect(Number.isNaN(forecastFeatures(history, 0, {}, 4, names)[names.indexOf('lossTrend')])).toBe(true);
    expect(forecastFeatures(history, 2)).toHaveLength(FORECAST_FEATURES.length);
  });

  it('reads the loss as 1 - cos with the floor and scale of the method', () => {
    const at = (loss: number, method: 'simsiam' | 'byol') => forecastFeatures([{ step: 1, totalSteps: 2, loss }], 0, { method }, 4, ['lossGap', 'method.byol']);
    expect(at(-0.9, 'simsiam')).toEqual([expect.closeTo(0.1, 12), 0]);
    expect(at(0.2, 'byol')).toEqual([expect.closeTo(0.1, 12), 1]);
    expect(() => forecastFeatures([{ step: 1, totalSteps: 2, loss: 0 }], 0, {}, 4, ['nope'])).toThrow(/unknown forecast feature "nope"/);
  });
});

describe('forecastAccuracy', () => {
  it('returns a point inside its interval, at the smallest stored level >= the requested one', () => {
    const history = [point(0, 0.65, 55), point(25, 0.7, 47), point(50, 0.74, 41)];
    const f = forecastAccuracy(calibration, history, {}, 0.85);
    expect(f.level).toBe(0.9);
    expect(f.low).toBeLessThanOrEqual(f.point);
    expect(f.high).toBeGreaterThanOrEqual(f.point);
    const wider = forecastAccuracy(calibration, history, {}, 0.95);
    expect(wider.high - wider.low).toBeGreaterThanOrEqual(f.high - f.low);
  });

  it('forecasts a collapsed trajectory below a healthy one', () => {
    const healthy = [point(0, 0.65, 55), point(40, 0.72, 45), point(60, 0.74, 41), point(80, 0.76, 38)];
    const collapsed = [point(0, 0.65, 55), point(40, 0.8, 20), point(60, 0.93, 4), point(80, 0.97, 1.6)];
    collapsed.forEach((p) => {
      p.loss = -0.99;
      p.backbone!.normalizedStd = 0.05;
    });
    expect(forecastAccuracy(calibration, collapsed).point).toBeLessThan(forecastAccuracy(calibration, healthy).point - 0.05);
  });

  it('flags a forecast for a run whose setting (start-of-run spectrum) lies far outside the calibration as extrapolated', () => {
    const withStart = fitCalibration(syntheticCorpus({ runs: 80, seed: 3 }), { createdAt: '2026-01-01T00:00:00.000Z', features: ['progress', 'backbone.aucRelStart', 'backbone.aucRel'] });
    const typical = [point(0, 0.65, 55), point(25, 0.7, 47), point(50, 0.74, 41)];
    const unlike = [point(0, 0.97, 3), point(25, 0.97, 3), point(50, 0.97, 3)];
    const sized = { modelParams: calibration.trainingRuns[0].modelParams, dataSize: calibration.trainingRuns[0].dataSize };
    expect(forecastAccuracy(withStart, typical, sized).extrapolated).toBe(false);
    expect(forecastAccuracy(withStart, unlike, sized).extrapolated).toBe(true);
    // state features alone (a collapsing run leaves their healthy range by nature) never flag it
    expect(forecastAccuracy(calibration, unlike, sized).extrapolated).toBe(false);
  });

  it("flags a run whose model or data size is more than 2x outside the calibration runs' as extrapolated", () => {
    const history = [point(0, 0.65, 55), point(25, 0.7, 47), point(50, 0.74, 41)];
    const sizes = (key: 'modelParams' | 'dataSize') => calibration.trainingRuns.map((r) => r[key] as number);
    const [pMin, pMax] = [Math.min(...sizes('modelParams')), Math.max(...sizes('modelParams'))];
    const [nMin, nMax] = [Math.min(...sizes('dataSize')), Math.max(...sizes('dataSize'))];
    expect(forecastAccuracy(calibration, history, { modelParams: pMin, dataSize: nMax }).extrapolated).toBe(false);
    expect(forecastAccuracy(calibration, history, { modelParams: pMax * 1.9, dataSize: nMin / 1.9 }).extrapolated).toBe(false);
    expect(forecastAccuracy(calibration, history, { dataSize: nMin / 2.1 }).extrapolated).toBe(true);
    expect(forecastAccuracy(calibration, history, { modelParams: pMax * 2.1 }).extrapolated).toBe(true);
    // a run that gives neither size is not known to be like the calibration's: extrapolated; one known size in range suffices
    expect(forecastAccuracy(calibration, history).extrapolated).toBe(true);
    expect(forecastAccuracy(calibration, history, { dataSize: nMax }).extrapolated).toBe(false);
  });

  it('widens the interval for a method the calibration holds no run of', () => {
    const history = [point(0, 0.65, 55), point(25, 0.7, 47), point(50, 0.74, 41)];
    const simsiam = forecastAccuracy(calibration, history, { method: 'simsiam' }, 0.5);
    const byol = forecastAccuracy(calibration, history, { method: 'byol' }, 0.5);
    expect(calibration.methods).toEqual(['simsiam']);
    expect(byol.high - byol.low).toBeCloseTo(2 * (simsiam.high - simsiam.low), 9);
  });

  it('rejects a level above the largest stored one and an empty history', () => {
    expect(() => forecastAccuracy(calibration, [point(0, 0.65, 55)], {}, 0.99)).toThrow(/forecast level must be in \(0, 0.95\], got 0.99/);
    expect(() => forecastAccuracy(calibration, [])).toThrow(/history has 0/);
  });
});
