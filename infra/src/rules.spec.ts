import { queryableMetricNames } from '@siamwatch/telemetry';
import { describe, expect, it } from 'vitest';
import { loadAlertRules, loadRecordingRules, metricNamesInExpr, testedAlertNames } from './rule-files.ts';

const PROMETHEUS_BUILTINS = new Set(['up', 'scrape_duration_seconds', 'scrape_samples_scraped']);

describe('metricNamesInExpr', () => {
  it('finds metric names, not functions, labels, durations or keywords', () => {
    expect(
      metricNamesInExpr(
        'histogram_quantile(0.95, sum by (job, le) (rate(a_bucket{x="y z"}[5m]))) and on (job) up == 1 or b offset 5m unless c',
      ).sort(),
    ).toEqual(['a_bucket', 'b', 'c', 'up']);
    expect(metricNamesInExpr('time() - siamwatch:x:seconds > 600')).toEqual(['siamwatch:x:seconds']);
  });
});

describe('rule files', () => {
  const recording = loadRecordingRules();
  const alerts = loadAlertRules();
  const known = new Set([...queryableMetricNames(), ...recording.map((r) => r.record), ...PROMETHEUS_BUILTINS]);

  it('use only series declared in libs/telemetry metric-names.ts, recording rules or Prometheus built-ins', () => {
    const exprs = [...recording.map((r) => [r.record, r.expr]), ...alerts.map((a) => [a.alert, a.expr])];
    expect(exprs.length).toBeGreaterThan(10);
    for (const [name, expr] of exprs) {
      const used = metricNamesInExpr(expr!);
      expect(used.length, name).toBeGreaterThan(0);
      for (const m of used) expect(known.has(m), `${name} uses unknown series ${m}`).toBe(true);
    }
  });

  it('name recording rules level:metric:operations', () => {
    for (const r of recording) expect(r.record).toMatch(/^siamwatch:[a-z0-9_]+:[a-z0-9_]+$/);
  });

  it('give every alert a severity, summary, description and runbook anchor in docs/observability.md', () => {
    for (const a of alerts) {
      expect(['critical', 'warning', 'info'], a.alert).toContain(a.labels['severity']);
      expect(a.annotations.description.length, a.alert).toBeGreaterThan(80);
      expect(a.annotations.runbook, a.alert).toBe(`docs/observability.md#${a.alert.toLowerCase()}`);
    }
  });

  it('cover every alert with a promtool unit test', () => {
    const tested = testedAlertNames();
    for (const a of alerts) expect(tested.has(a.alert), `${a.alert} has no test in alerts.test.yml`).toBe(true);
  });

  it('include the collapse-onset, forecast, stall, NaN and exporter alerts the project brief asks for', () => {
    const exprOf = new Map(alerts.map((a) => [a.alert, a.expr]));
    // collapse alerts follow the monitor: its decisions, and the projector-only severe std threshold (no raw AUC threshold)
    expect(exprOf.get('SiamWatchCollapseDecision')).toMatch(/siamwatch_monitor_decisions_total\{reason_class=~"collapse_onset\|harmful_partial_collapse\|complete_collapse"\}/);
    expect(exprOf.get('SiamWatchOutputStdCollapse')).toMatch(/\{output="projector"\} < 0\.05/);
    expect([...exprOf.values()].some((e) => /spectrum_auc_ratio/.test(e))).toBe(false);
    for (const a of ['SiamWatchForecastAccuracyDropping', 'SiamWatchTrainingStalled', 'SiamWatchLossNaN', 'SiamWatchExporterErrors']) {
      expect(exprOf.has(a), a).toBe(true);
    }
  });
});
