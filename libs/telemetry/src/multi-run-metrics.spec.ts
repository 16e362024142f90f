import { describe, expect, it } from 'vitest';
import { METRICS, type MetricSpec } from './metric-names.ts';
import { createMultiRunMetrics } from './multi-run-metrics.ts';
import { TelemetryInputError } from './record-validation.ts';
import { SERVE_METRICS } from './serve-metric-names.ts';

const collapse = { step: 40, output: 'backbone' as const, auc: 0.93, effectiveRank: 1.4, stableRank: 1.1, alpha: 3, normalizedOutputStd: 0.01, dimensions: 32 };

describe('createMultiRunMetrics', () => {
  it('labels every series by run and rank, never by step, and keeps runs apart', async () => {
    const m = createMultiRunMetrics({ defaultMetrics: false });
    m.recordLoss('a', 0, 40, -0.97);
    m.recordLoss('a', 3, 40, -0.95);
    m.recordCollapse('a', collapse);
    m.recordCollapse('b', { ...collapse, auc: 0.61 });
    m.recordForecast('a', { step: 40, point: 0.3, low: 0.2, high: 0.4 });
    m.recordDecision('a', { step: 40, decision: 'early_stop', reasonClass: 'severe_collapse', reason: 'rank one' });
    m.recordSamples('a', 3, 128);
    m.recordCheck('a');
    m.recordRejected(undefined, 401);
    const text = await m.metrics();
    expect(text).toContain(`${METRICS.collapseAuc.name}{run_id="a",run="a",output="backbone"} 0.93`);
    expect(text).toContain(`${METRICS.collapseAuc.name}{run_id="b",run="b",output="backbone"} 0.61`);
    expect(text).toContain(`${METRICS.trainLoss.name}{run_id="a",run="a",rank="3"} -0.95`);
    expect(text).toContain(`${METRICS.trainStep.name}{run_id="a",run="a"} 40`);
    expect(text).toContain(`${METRICS.decisions.name}{run_id="a",run="a",decision="early_stop",reason_class="severe_collapse"} 1`);
    expect(text).toContain(`${SERVE_METRICS.serveSamples.name}{run_id="a",run="a",rank="3"} 128`);
    expect(text).toContain(`${SERVE_METRICS.serveRejected.name}{run_id="",status="401"} 1`);
    expect(text).not.toMatch(/step="/);
  });

  it('removes every series of an expired run and validates records', async () => {
    const m = createMultiRunMetrics({ defaultMetrics: false });
    m.recordCollapse('a', collapse);
    m.recordLoss('a', 1, 3, 0.5);
    m.recordCollapse('b', collapse);
    m.removeRun('a');
    const text = await m.metrics();
    expect(text).not.toContain('run="a"');
    expect(text).toContain('run="b"');
    expect(() => m.recordCollapse('a', { ...collapse, output: 'head' as never })).toThrow(TelemetryInputError);
    expect(() => m.recordSamples('a', -1, 3)).toThrow(/rank must be an integer >= 0, got -1/);
  });

  it('declares the serve series like METRICS: snake case, _total counters, run_id first', () => {
    for (const spec of Object.values(SERVE_METRICS) as MetricSpec[]) {
      expect(spec.name).toMatch(/^siamwatch_serve_[a-z_]+_total$/);
      expect(spec.otelName.replace(/\./g, '_') + '_total').toBe(spec.name);
      expect(spec.labels[0]).toBe('run_id');
    }
  });
});
