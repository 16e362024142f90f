import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryBuilder, RuleBuilder } from '@grafana/grafana-foundation-sdk/alerting';
import { TypeReduceBuilder, TypeThresholdBuilder } from '@grafana/grafana-foundation-sdk/expr';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { parse } from 'yaml';
import { DATASOURCE, toPlainJson } from './grafana-helpers.ts';

/** The Prometheus alert rules this file translates (the single source of alert logic). */
export const PROMETHEUS_ALERT_RULES_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'infra', 'rules', 'siamwatch-alerts.yml');

/** Evaluation interval of the Grafana rule group (Grafana needs a multiple of 10 s). */
export const GRAFANA_RULE_INTERVAL = '1m';

/** Folder the provisioned rules land in. */
export const ALERT_FOLDER = 'SiamWatch';

interface PromAlert {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Grafana's file-provisioning format for alert rules (`provisioning/alerting/*.json`). */
export interface AlertProvisioningFile {
  apiVersion: 1;
  groups: { orgId: number; name: string; folder: string; interval: string; rules: Record<string, unknown>[] }[];
}

function uidOf(alert: string): string {
  return `siamwatch-${alert.replace(/^SiamWatch/, '').replace(/[A-Z]/g, (c, i: number) => (i ? '-' : '') + c.toLowerCase())}`.slice(0, 40);
}

/**
 * Grafana-managed version of one Prometheus alert: A = the PromQL (every returned series is a firing
 * instance; `* 0 + 1` makes it 1 unless NaN), B = last value with NaN replaced by 1 (NaN-loss alerts),
 * C = B > 0. Same `for`, labels and annotations (`runbook` becomes `runbook_url`).
 */
export function grafanaRuleFromPrometheus(a: PromAlert): Record<string, unknown> {
  const annotations = { ...(a.annotations ?? {}) };
  if (annotations['runbook'] !== undefined) {
    annotations['runbook_url'] = annotations['runbook'];
    delete annotations['runbook'];
  }
  const rule = new RuleBuilder(a.alert)
    .uid(uidOf(a.alert))
    .condition('C')
    .forDuration(a.for ?? '0s')
    .noDataState('OK')
    .execErrState('Error')
    .labels(a.labels ?? {})
    .annotations(annotations)
    .withQuery(
      new QueryBuilder('A')
        .datasourceUid(DATASOURCE.uid)
        .relativeTimeRange({ from: 600, to: 0 })
        .model(new DataqueryBuilder().expr(`(${a.expr}) * 0 + 1`).instant().refId('A').datasource(DATASOURCE)),
    )
    .withQuery(
      new QueryBuilder('B')
        .datasourceUid('__expr__')
        .model(new TypeReduceBuilder().refId('B').expression('A').reducer('last').settings({ mode: 'replaceNN', replaceWithValue: 1 })),
    )
    .withQuery(
      new QueryBuilder('C')
        .datasourceUid('__expr__')
        .model(new TypeThresholdBuilder().refId('C').expression('B').conditions([{ evaluator: { type: 'gt', params: [0] } }])),
    );
  const built = toPlainJson(rule.build()) as unknown as Record<string, unknown>;
  // Provisioning files take folder, group and org at group level.
  delete built['folderUID'];
  delete built['ruleGroup'];
  delete built['orgID'];
  return built;
}

/** All alerts of `infra/rules/siamwatch-alerts.yml` as one Grafana provisioning file. */
export function buildAlertProvisioning(path: string = PROMETHEUS_ALERT_RULES_PATH): AlertProvisioningFile {
  const doc = parse(readFileSync(path, 'utf8')) as { groups: { name: string; interval?: string; rules: PromAlert[] }[] };
  return {
    apiVersion: 1,
    groups: doc.groups.map((g) => ({
      orgId: 1,
      name: g.name,
      folder: ALERT_FOLDER,
      interval: GRAFANA_RULE_INTERVAL,
      rules: g.rules.map(grafanaRuleFromPrometheus),
    })),
  };
}
