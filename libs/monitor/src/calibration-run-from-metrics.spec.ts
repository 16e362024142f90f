import { describe, expect, it } from 'vitest';
import { calibrationRunFromMetricsLines } from './calibration-run-from-metrics.ts';
import { MonitorError } from './monitor-error.ts';

const lines = [
  { event: 'start', runId: 'mnist-cnn-1', modelParams: 120000, dataSize: 60000 },
  { step: 200, totalSteps: 400, loss: -0.8, backbone: { auc: 0.74, rankme: 40, alpha: 0.7, normalizedStd: 0.7, dim: 64 } },
  { step: 100, totalSteps: 400, loss: -0.5, backbone: { auc: 0.7, rankme: 48 }, projector: { auc: 0.6, rankme: 200, extra: 'ignored' } },
  { event: 'lr', value: 0.1 },
  { step: 400, totalSteps: 400, loss: -0.9, backbone: { auc: 0.78, rankme: 35 } },
  { linearProbeAccuracy: 0.921, knnAccuracy: 0.874 },
];

describe('calibrationRunFromMetricsLines', () => {
  it('reads checks (sorted by step), context and the final accuracy', () => {
    const run = calibrationRunFromMetricsLines(lines);
    expect(run.id).toBe('mnist-cnn-1');
    expect(run.modelParams).toBe(120000);
    expect(run.dataSize).toBe(60000);
    expect(run.finalLinearProbeAccuracy).toBe(0.921);
    expect(run.checks.map((c) => c.step)).toEqual([100, 200, 400]);
    expect(run.checks[0].projector).toEqual({ auc: 0.6, rankme: 200 });
    expect(run.checks[1].backbone).toEqual({ auc: 0.74, rankme: 40, alpha: 0.7, normalizedStd: 0.7, dim: 64 });
  });

  it('takes the last accuracy, an id field and a collapsed label, and skips records without outputs', () => {
    const run = calibrationRunFromMetricsLines([
      { id: 'byol-small', label: 'collapsed' },
      { step: 0, totalSteps: 10, loss: -0.2 },
      { step: 5, totalSteps: 10, loss: -0.99, projector: { auc: 0.97, rankme: 1.4 } },
      { linearProbeAccuracy: 0.4 },
      { linearProbeAccuracy: 0.35 },
    ]);
    expect(run).toMatchObject({ id: 'byol-small', label: 'collapsed', finalLinearProbeAccuracy: 0.35 });
    expect(run.checks).toEqual([{ step: 5, totalSteps: 10, loss: -0.99, projector: { auc: 0.97, rankme: 1.4 } }]);
  });

  it('fails clearly without a final accuracy, without checks, or with malformed records', () => {
    expect(() => calibrationRunFromMetricsLines(lines.slice(0, 5))).toThrow(/no linearProbeAccuracy record \(of 5 lines\)/);
    expect(() => calibrationRunFromMetricsLines([{ linearProbeAccuracy: 0.5 }])).toThrow(/no check record/);
    expect(() => calibrationRunFromMetricsLines([{ linearProbeAccuracy: 92.1 }])).toThrow(/line 1: linearProbeAccuracy must be a fraction in \[0, 1\], got 92.1/);
    expect(() => calibrationRunFromMetricsLines([{ step: 1, totalSteps: 10, loss: -0.5, backbone: { auc: 0.7 } }])).toThrow(
      /line 1.backbone needs numeric auc and rankme/,
    );
    expect(() => calibrationRunFromMetricsLines([{ step: 1, loss: -0.5, backbone: { auc: 0.7, rankme: 3 } }])).toThrow(
      /line 1: a check needs step and totalSteps > 0, got step=1 totalSteps=undefined/,
    );
    expect(() => calibrationRunFromMetricsLines([{ step: 1, totalSteps: 9, loss: -0.5, regime: 'online', backbone: { auc: 0.7, rankme: 3 } }])).toThrow(
      /line 1: regime must be one of iid, multi-epoch, continual, got "online"/,
    );
    expect(() => calibrationRunFromMetricsLines([{ step: 1, totalSteps: 9, loss: 'nan', backbone: { auc: 0.7, rankme: 3 } }])).toThrow(MonitorError);
  });
});
