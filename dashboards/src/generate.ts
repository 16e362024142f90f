import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAlertProvisioning } from './grafana-alert-rules.ts';
import { dashboardsYaml, datasourcesYaml } from './provisioning.ts';
import { buildRunDashboard } from './run-dashboard.ts';
import { buildRunsDashboard } from './runs-dashboard.ts';

/** The `dashboards/` folder. */
export const DASHBOARDS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

const json = (v: unknown): string => `${JSON.stringify(v, null, 2)}\n`;

/**
 * Every generated file, keyed by path relative to `dashboards/`: the two dashboards, the datasource and
 * dashboard providers, and the Grafana-managed alert rules translated from infra/rules/siamwatch-alerts.yml.
 */
export function generatedFiles(): Record<string, string> {
  return {
    'siamwatch-run.json': json(buildRunDashboard()),
    'siamwatch-runs.json': json(buildRunsDashboard()),
    'provisioning/datasources.yml': datasourcesYaml(),
    'provisioning/dashboards.yml': dashboardsYaml(),
    'provisioning/alerting/siamwatch-alerts.json': json(buildAlertProvisioning()),
  };
}

/** Writes {@link generatedFiles} under `dir` (default `dashboards/`); returns the paths written. */
export function writeGeneratedFiles(dir: string = DASHBOARDS_DIR): string[] {
  return Object.entries(generatedFiles()).map(([rel, content]) => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const p of writeGeneratedFiles()) console.log(`wrote ${p}`);
}
