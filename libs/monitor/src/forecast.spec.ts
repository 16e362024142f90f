import { describe, expect, it } from 'vitest';
import { fitCalibration } from './fit-calibration.ts';
import { forecastAccuracy } from './forecast.ts';
import { FORECAST_FEATURES, forecastFeatures, type TrajectoryPoint } from './forecast-features.ts';
import { syntheticCorpus } from './testing/synthetic-corpus.ts';

const calibration = fitCalibration(syntheticCorpus({ runs: 80, seed: 3 }), { createdAt: '2026-01-01T00:00:00.000Z' });

const point = (step: number, auc: number, rankme: number): TrajectoryPoint => ({
  step, totalSteps: 100, loss: -0.3 - step / 200, backbone: { auc, rankme, alpha: 0.5, normalizedStd: 0.8 },
});

describe('forecastFeatures', () => {
  it('builds the named features from the history up to the index, NaN when unknown', () => {
    const history = [point(0, 0.65, 55), point(10, 0.67, 52), point(20, 0.69, 49)];
    const x = forecastFeatures(history, 2, { modelParams: Math.E ** 10 });
    const get = (name: (typeof FORECAST_FEATURES)[number]) => x[FORECAST_FEATURES.indexOf(name)];
    expect(x).toHaveLength(FORECAST_FEATURES.length);
    expect(get('progress')).toBeCloseTo(0.2, 12);
    expect(get('backbone.aucTrend')).toBeCloseTo(0.2, 9);
    expect(get('backbone.logRankme')).toBeCloseTo(Math.log(49), 12);
    expect(get('logModelParams')).toBeCloseTo(10, 12);
    expect(Number.isNaN(get('logDataSize'))).toBe(true);
    expect(Number.isNaN(get('projector.auc'))).toBe(true);
    expect(Number.isNaN(forecastFeatures(history, 0)[FORECAST_FEATURES.indexOf('lossTrend')])).toBe(true);
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

  it('rejects a level above the largest stored one and an empty history', () => {
    expect(() => forecastAccuracy(calibration, [point(0, 0.65, 55)], {}, 0.99)).toThrow(/forecast level must be in \(0, 0.95\], got 0.99/);
    expect(() => forecastAccuracy(calibration, [])).toThrow(/history has 0/);
  });
});
