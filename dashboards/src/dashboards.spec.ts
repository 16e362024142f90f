import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { dashboardProblems, allPanels } from './dashboard-invariants.ts';
import { DATASOURCE, GRAFANA_BUILTIN_DATASOURCE_UID } from './grafana-helpers.ts';
import { datasourcesYaml } from './provisioning.ts';
import { buildRunDashboard } from './run-dashboard.ts';
import { buildRunsDashboard } from './runs-dashboard.ts';

const provisioned = (parse(datasourcesYaml()) as { datasources: { uid: string }[] }).datasources.map((d) => d.uid);
const uids = new Set([...provisioned, GRAFANA_BUILTIN_DATASOURCE_UID]);

describe('dashboard structure', () => {
  it('provisions the datasource uid the panels use', () => {
    expect(provisioned).toEqual([DATASOURCE.uid]);
  });

  it.each([
    ['run', buildRunDashboard()],
    ['runs', buildRunsDashboard()],
  ])('%s dashboard: unique ids, non-overlapping grid, defined variables, known datasources', (_name, d) => {
    expect(dashboardProblems(d, uids)).toEqual([]);
    expect(d.schemaVersion).toBe(42);
    expect(allPanels(d as never).length).toBeGreaterThan(8);
  });

  it('run dashboard has the run_id variable, both outputs, a regime state timeline and decision annotations', () => {
    const d = buildRunDashboard();
    expect(d.templating?.list?.map((v) => v.name)).toEqual(['run_id']);
    const panels = allPanels(d as never);
    expect(panels.some((p) => p.type === 'state-timeline')).toBe(true);
    const text = JSON.stringify(d);
    expect(text).toContain('{{output}}');
    for (const t of ['Loss', 'Learning rate', 'Throughput', 'Step duration', 'Spectrum AUC', 'Forecast vs measured linear-probe accuracy']) {
      expect(panels.map((p) => p.title)).toContain(t);
    }
    expect(d.annotations?.list?.some((a) => (a as { expr?: string }).expr?.includes('siamwatch_monitor_decisions_total'))).toBe(true);
  });

  it('runs dashboard selects several runs', () => {
    const v = buildRunsDashboard().templating?.list?.[0] as { multi?: boolean; includeAll?: boolean };
    expect(v.multi).toBe(true);
    expect(v.includeAll).toBe(true);
  });
});

describe('dashboardProblems', () => {
  it('reports duplicate ids, overlaps, undefined variables and unknown datasources', () => {
    const bad = {
      uid: 'x',
      panels: [
        { id: 1, type: 'timeseries', title: 'a', gridPos: { x: 0, y: 0, w: 12, h: 8 }, datasource: { uid: 'nope' }, targets: [{ expr: 'up{job="$job"}' }] },
        { id: 1, type: 'timeseries', title: 'b', gridPos: { x: 6, y: 4, w: 12, h: 8 } },
        { id: 3, type: 'timeseries', title: 'c', gridPos: { x: 20, y: 20, w: 12, h: 8 } },
      ],
      templating: { list: [] },
    };
    const problems = dashboardProblems(bad, uids).join('\n');
    expect(problems).toMatch(/reuses id 1/);
    expect(problems).toMatch(/"a" overlaps "b"/);
    expect(problems).toMatch(/undefined variable \$job/);
    expect(problems).toMatch(/unknown datasource uid "nope"/);
    expect(problems).toMatch(/"c" gridPos .* outside the 24-column grid/);
  });
});
