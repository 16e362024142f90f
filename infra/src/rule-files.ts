import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Absolute path of the `infra/` folder (configs, rules, scripts). */
export const INFRA_DIR: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Files of the Prometheus/Alertmanager setup, absolute. */
export const INFRA_FILES = {
  prometheusConfig: join(INFRA_DIR, 'prometheus.yml'),
  alertmanagerConfig: join(INFRA_DIR, 'alertmanager.yml'),
  recordingRules: join(INFRA_DIR, 'rules', 'siamwatch-recording.yml'),
  alertRules: join(INFRA_DIR, 'rules', 'siamwatch-alerts.yml'),
  alertTests: join(INFRA_DIR, 'alerts.test.yml'),
  startLocalStack: join(INFRA_DIR, 'scripts', 'start-local-stack.sh'),
} as const;

/** A Prometheus recording rule. */
export interface RecordingRule {
  record: string;
  expr: string;
}

/** A Prometheus alerting rule with its severity and human annotations. */
export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string; runbook?: string } & Record<string, string>;
}

/** Malformed rule file: the message names the file and the bad entry. */
export class RuleFileError extends Error {
  override readonly name = 'RuleFileError';
}

interface RuleGroupFile {
  groups: { name: string; interval?: string; rules: Record<string, unknown>[] }[];
}

function readGroups(path: string): RuleGroupFile['groups'] {
  const doc = parse(readFileSync(path, 'utf8')) as RuleGroupFile | null;
  if (doc === null || !Array.isArray(doc.groups)) throw new RuleFileError(`${path}: no "groups" list`);
  return doc.groups;
}

/** The recording rules of `rules/siamwatch-recording.yml` (or `path`), in file order. */
export function loadRecordingRules(path: string = INFRA_FILES.recordingRules): RecordingRule[] {
  return readGroups(path).flatMap((g) =>
    g.rules.map((r) => {
      if (typeof r['record'] !== 'string' || typeof r['expr'] !== 'string') {
        throw new RuleFileError(`${path}: group ${g.name}: not a recording rule: ${JSON.stringify(r)}`);
      }
      return { record: r['record'], expr: r['expr'] };
    }),
  );
}

/** The alerting rules of `rules/siamwatch-alerts.yml` (or `path`), in file order. */
export function loadAlertRules(path: string = INFRA_FILES.alertRules): AlertRule[] {
  return readGroups(path).flatMap((g) =>
    g.rules.map((r) => {
      const a = r as unknown as AlertRule;
      if (typeof a.alert !== 'string' || typeof a.expr !== 'string' || typeof a.annotations?.summary !== 'string') {
        throw new RuleFileError(`${path}: group ${g.name}: alert without name, expr or summary: ${JSON.stringify(r)}`);
      }
      return { ...a, labels: a.labels ?? {} };
    }),
  );
}

/** Names of the alerts exercised by `alerts.test.yml` (`alertname` of every `alert_rule_test`). */
export function testedAlertNames(path: string = INFRA_FILES.alertTests): Set<string> {
  const doc = parse(readFileSync(path, 'utf8')) as { tests?: { alert_rule_test?: { alertname: string }[] }[] };
  return new Set((doc.tests ?? []).flatMap((t) => (t.alert_rule_test ?? []).map((a) => a.alertname)));
}

/**
 * Metric-like identifiers in a PromQL expression (a lexical scan, enough for our rules: identifiers not followed
 * by `(`, outside strings, label matchers, ranges and grouping clauses, minus keywords). Dashboards use a
 * full PromQL parser; this keeps infra free of one.
 */
export function metricNamesInExpr(expr: string): string[] {
  const noStrings = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]');
  const noGrouping = noStrings.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const words = noGrouping.match(/(?<![a-zA-Z0-9_:.])[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:])(?!\s*\()/g) ?? [];
  const keywords = new Set(['and', 'or', 'unless', 'offset', 'bool', 'by', 'without', 'on', 'ignoring', 'inf', 'nan']);
  return [...new Set(words.filter((w) => !keywords.has(w.toLowerCase())))];
}
