import { describe, expect, it } from 'vitest';
import { fitCalibration } from './fit-calibration.ts';
import { forecastAccuracy } from './forecast.ts';
import { nearestCheck } from './forecast-features.ts';
import { MonitorError } from './monitor-error.ts';
import { syntheticCorpus } from './testing/synthetic-corpus.ts';

const train = syntheticCorpus({ runs: 160, seed: 101 });
const heldOut = syntheticCorpus({ runs: 300, seed: 202 });
const calibration = fitCalibration(train, { createdAt: '2026-01-01T00:00:00.000Z', provenance: 'test' });

function coverage(level: number, progress: number): { covered: number; width: number } {
  let covered = 0;
  let width = 0;
  for (const run of heldOut) {
    const index = nearestCheck(run.checks, progress, 0.06);
    const f = forecastAccuracy(calibration, run.checks, run, level, index);
    if (run.finalLinearProbeAccuracy >= f.low && run.finalLinearProbeAccuracy <= f.high) covered += 1;
    width += f.high - f.low;
  }
  return { covered: covered / heldOut.length, width: width / heldOut.length };
}

describe('fitCalibration', () => {
  it('writes a versioned document with one model and one row of half-widths per anchor', () => {
    expect(calibration.version).toBe(2);
    expect(calibration.methods).toEqual(["simsiam"]);
    expect(calibration.residualQuantiles.method).toBe("group-cv-conformal");
    expect(calibration.provenance).toBe('test');
    expect(calibration.model.anchors.map((a) => a.progress)).toEqual([0.1, 0.2, 0.35, 0.5, 0.75, 1]);
    expect(calibration.residualQuantiles.halfWidths).toHaveLength(6);
    expect(calibration.trainingRuns).toHaveLength(160);
    expect(calibration.expectedTrajectory).toHaveLength(6);
  });

  it('held-out interval coverage is near the nominal level (averaged over the anchors)', () => {
    // 300 held-out runs x 6 anchors; per anchor the sampling spread is about +-0.07.
    const anchors = [0.1, 0.2, 0.35, 0.5, 0.75, 1];
    const average = (level: number) => anchors.reduce((s, p) => s + coverage(level, p).covered, 0) / anchors.length;
    const c90 = average(0.9);
    expect(c90).toBeGreaterThan(0.85);
    expect(c90).toBeLessThan(0.97);
    const c50 = average(0.5);
    expect(c50).toBeGreaterThan(0.42);
    expect(c50).toBeLessThan(0.62);
    for (const p of anchors) expect(coverage(0.9, p).covered).toBeGreaterThan(0.8);
  });

  it('late forecasts are sharper than early ones and beat predicting the mean', () => {
    expect(coverage(0.9, 1).width).toBeLessThan(coverage(0.9, 0.2).width);
    const mean = train.reduce((s, r) => s + r.finalLinearProbeAccuracy, 0) / train.length;
    let modelError = 0;
    let meanError = 0;
    for (const run of heldOut) {
      const f = forecastAccuracy(calibration, run.checks, run, 0.9);
      modelError += (f.point - run.finalLinearProbeAccuracy) ** 2;
      meanError += (mean - run.finalLinearProbeAccuracy) ** 2;
    }
    expect(modelError).toBeLessThan(0.25 * meanError);
  });

  it('expected healthy trajectory: log RankMe falls with progress as AUC rises', () => {
    const first = calibration.expectedTrajectory![0].metrics;
    const last = calibration.expectedTrajectory![5].metrics;
    expect(last['backbone.auc'].coefficients[0]).toBeGreaterThan(first['backbone.auc'].coefficients[0]);
    expect(last['backbone.logRankme'].coefficients[0]).toBeLessThan(first['backbone.logRankme'].coefficients[0]);
  });

  it('rejects bad runs and too few runs with typed errors naming the value', () => {
    const bad = [{ ...train[0], finalLinearProbeAccuracy: 92.1 }, ...train.slice(1, 20)];
    expect(() => fitCalibration(bad)).toThrow(MonitorError);
    expect(() => fitCalibration(bad)).toThrow(/finalLinearProbeAccuracy must be a fraction in \[0, 1\], got 92.1/);
    expect(() => fitCalibration(train.slice(0, 5))).toThrow(/need at least 8/);
    expect(() => fitCalibration(train, { levels: [1.5] })).toThrow(/levels must lie in \(0, 1\), got 1.5/);
  });
});
