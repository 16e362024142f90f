import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR } from './generate.ts';
import { buildAlertProvisioning } from './grafana-alert-rules.ts';
import { PromqlCheckError, allowedMetricNames, checkPromql, dashboardQueries, promqlMetricNames } from './promql-check.ts';
import { buildRunDashboard } from './run-dashboard.ts';
import { buildRunsDashboard } from './runs-dashboard.ts';

type RuleDoc = { groups: { rules: { record?: string; alert?: string; expr: string }[] }[] };
const infraRules = (file: string) =>
  (parse(readFileSync(join(DASHBOARDS_DIR, '..', 'infra', 'rules', file), 'utf8')) as RuleDoc).groups.flatMap((g) => g.rules);
const recording = infraRules('siamwatch-recording.yml');
const alerts = infraRules('siamwatch-alerts.yml');
const allowed = allowedMetricNames(recording.map((r) => r.record!));

describe('promqlMetricNames', () => {
  it('returns the selectors of a parsed expression, with Grafana variables substituted', () => {
    expect(promqlMetricNames('histogram_quantile(0.95, sum by (le) (rate(a_bucket{run_id="$run_id"}[$__rate_interval])))')).toEqual(['a_bucket']);
    expect(promqlMetricNames('label_values(siamwatch_train_steps_total, run_id)')).toEqual(['siamwatch_train_steps_total']);
    expect(promqlMetricNames('x:y:z and on (job) up == 1').sort()).toEqual(['up', 'x:y:z']);
  });

  it('rejects syntax errors and unknown series with a typed error naming the expression', () => {
    expect(() => promqlMetricNames('rate(foo[5m]')).toThrow(PromqlCheckError);
    expect(() => checkPromql('siamwatch_train_los{run_id="a"}', allowed)).toThrow(/"siamwatch_train_los"/);
    expect(checkPromql('rate(process_cpu_user_seconds_total[1m])', allowed)).toEqual(['process_cpu_user_seconds_total']);
  });
});

describe('every PromQL expression of the project', () => {
  const exprs: { where: string; expr: string }[] = [
    ...dashboardQueries(buildRunDashboard()).map((q) => ({ ...q, where: `run dashboard ${q.where}` })),
    ...dashboardQueries(buildRunsDashboard()).map((q) => ({ ...q, where: `runs dashboard ${q.where}` })),
    ...recording.map((r) => ({ where: `recording rule ${r.record}`, expr: r.expr })),
    ...alerts.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
    ...buildAlertProvisioning().groups.flatMap((g) =>
      g.rules.map((r) => ({ where: `grafana rule ${String(r['title'])}`, expr: String((r['data'] as { model: { expr: string } }[])[0]!.model.expr) })),
    ),
  ];

  it('is collected from dashboards, recording rules, alerts and Grafana rules', () => {
    expect(exprs.length).toBeGreaterThan(40);
  });

  it.each(exprs.map((e) => [e.where, e.expr]))('%s parses and uses declared series only', (_where, expr) => {
    expect(checkPromql(expr!, allowed).length).toBeGreaterThan(0);
  });
});
