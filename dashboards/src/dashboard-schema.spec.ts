import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_SCHEMA_PATH, dashboardSchemaErrors } from './dashboard-schema.ts';
import { buildRunDashboard } from './run-dashboard.ts';
import { buildRunsDashboard } from './runs-dashboard.ts';

describe('Grafana dashboard JSON schema (generated from @grafana/schema 13.2.3)', () => {
  it('is the committed Dashboard schema', () => {
    const schema = JSON.parse(readFileSync(DASHBOARD_SCHEMA_PATH, 'utf8')) as { $ref: string; definitions: Record<string, unknown> };
    expect(schema.$ref).toBe('#/definitions/Dashboard');
    for (const def of ['Dashboard', 'Panel', 'RowPanel', 'GridPos', 'VariableModel', 'AnnotationQuery']) expect(schema.definitions).toHaveProperty(def);
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
});
