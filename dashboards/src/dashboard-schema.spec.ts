import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_SCHEMA_PATH, dashboardSchemaErrors, grafanaDashboardTypesPath } from './dashboard-schema.ts';
import { buildRunDashboard } from './run-dashboard.ts';
import { buildRunsDashboard } from './runs-dashboard.ts';

describe('Grafana dashboard JSON schema (generated from @grafana/schema 13.2.3)', () => {
  it('is the committed Dashboard schema', () => {
    const schema = JSON.parse(readFileSync(DASHBOARD_SCHEMA_PATH, 'utf8')) as { $ref: string; definitions: Record<string, unknown> };
    expect(schema.$ref).toBe('#/definitions/Dashboard');
    for (const def of ['Dashboard', 'Panel', 'RowPanel', 'GridPos', 'VariableModel', 'AnnotationQuery']) expect(schema.definitions).toHaveProperty(def);
  });

  it('comes from the installed @grafana/schema Dashboard type', () => {
    const types = grafanaDashboardTypesPath();
    expect(existsSync(types)).toBe(true);
    expect(readFileSync(types, 'utf8')).toMatch(/export interface Dashboard \{/);
  });

  it.each([
    ['run', buildRunDashboard()],
    ['runs', buildRunsDashboard()],
  ])('%s dashboard validates', (_name, d) => {
    expect(dashboardSchemaErrors(d)).toEqual([]);
  });

  it('rejects a dashboard with wrongly typed fields', () => {
    const d = buildRunDashboard() as unknown as { panels: { gridPos: { w: unknown } }[]; refresh: unknown };
    d.panels[1]!.gridPos.w = 'wide';
    d.refresh = 5;
    const errors = dashboardSchemaErrors(d).join('\n');
    expect(errors).toMatch(/\/panels\/1\/gridPos\/w must be number/);
    expect(errors).toMatch(/\/refresh must be string/);
  });

  it('rejects a panel of unknown shape', () => {
    const d = buildRunsDashboard() as unknown as { panels: unknown[] };
    d.panels.push({ type: 'timeseries', gridPos: { x: 0, y: 99, w: 12 } });
    expect(dashboardSchemaErrors(d).join('\n')).toMatch(/gridPos must have required property 'h'/);
  });
});
