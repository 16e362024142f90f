import { describe, expect, it } from 'vitest';
import { METRICS, METRIC_NAMES, queryableMetricNames, type MetricSpec } from './metric-names.ts';

const specs = Object.values(METRICS) as MetricSpec[];

describe('METRICS table', () => {
  it('declares each Prometheus name once', () => {
    expect(new Set(METRIC_NAMES).size).toBe(METRIC_NAMES.length);
    expect(new Set(specs.map((m) => m.otelName)).size).toBe(specs.length);
  });

  it('follows Prometheus naming: snake case, siamwatch_ prefix, _total only on counters', () => {
    for (const m of specs) {
      expect(m.name).toMatch(/^siamwatch_[a-z][a-z0-9_]*$/);
      expect(m.name.endsWith('_total'), m.name).toBe(m.type === 'counter');
    }
  });

  it('puts base units in the name: seconds for s, bytes for By, ratio for accuracies and AUC', () => {
    for (const m of specs) {
      if (m.unit === 's') expect(m.name, m.name).toMatch(/_seconds(_total)?$/);
      if (m.unit === 'By') expect(m.name, m.name).toMatch(/_bytes(_total)?$/);
      if (/accuracy|auc/.test(m.name)) expect(m.name, m.name).toMatch(/_ratio$/);
      expect(m.name, m.name).not.toMatch(/_(milliseconds|ms|percent|kilobytes)/);
    }
  });

  it('maps every OpenTelemetry instrument name onto its Prometheus name as the exporter does', () => {
    for (const m of specs) {
      const exported = m.otelName.replace(/\./g, '_') + (m.type === 'counter' ? '_total' : '');
      expect(exported).toBe(m.name);
    }
  });

  it('labels every series by run_id and documents it', () => {
    for (const m of specs) {
      expect(m.labels[0]).toBe('run_id');
      expect(m.help.length).toBeGreaterThan(10);
      for (const l of m.labels) expect(l).toMatch(/^[a-z][a-z0-9_]*$/);
    }
  });

  it('expands histograms to _bucket/_sum/_count in the queryable names', () => {
    const names = queryableMetricNames();
    expect(names.has('siamwatch_train_step_duration_seconds_bucket')).toBe(true);
    expect(names.has('siamwatch_train_step_duration_seconds')).toBe(false);
    expect(names.has('siamwatch_train_loss')).toBe(true);
    expect(names.has('target_info')).toBe(true);
  });
});
