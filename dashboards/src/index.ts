/**
 * @siamwatch/dashboards: Grafana dashboards as code (grafana-foundation-sdk), their provisioning files,
 * Grafana-managed alert rules translated from infra's Prometheus rules, and offline checks (PromQL syntax
 * and metric names against libs/telemetry's table, dashboard structure).
 */
export { buildRunDashboard, RUN_DASHBOARD_UID } from './run-dashboard.ts';
export { buildRunsDashboard, RUNS_DASHBOARD_UID } from './runs-dashboard.ts';
export {
  buildAlertProvisioning,
  grafanaRuleFromPrometheus,
  PROMETHEUS_ALERT_RULES_PATH,
  ALERT_FOLDER,
  GRAFANA_RULE_INTERVAL,
  type AlertProvisioningFile,
} from './grafana-alert-rules.ts';
export { datasourcesYaml, dashboardsYaml, GRAFANA_DASHBOARDS_DIR } from './provisioning.ts';
export { generatedFiles, writeGeneratedFiles, DASHBOARDS_DIR } from './generate.ts';
export {
  promqlMetricNames,
  checkPromql,
  allowedMetricNames,
  dashboardQueries,
  PromqlCheckError,
  PROMETHEUS_BUILTIN_SERIES,
} from './promql-check.ts';
export { dashboardProblems, allPanels, type DashboardProblems } from './dashboard-invariants.ts';
export { DATASOURCE, GRAFANA_BUILTIN_DATASOURCE_UID, m, bucket, query, timeseries, threshold, numberPanels, toPlainJson } from './grafana-helpers.ts';
export { DASHBOARD_SCHEMA_PATH, dashboardSchemaErrors, generateDashboardSchema, grafanaDashboardTypesPath } from './dashboard-schema.ts';
