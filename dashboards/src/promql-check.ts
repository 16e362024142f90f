import { parser } from '@prometheus-io/lezer-promql';
import { PROM_CLIENT_DEFAULT_PREFIXES, queryableMetricNames } from '@siamwatch/telemetry';

/** A PromQL expression that does not parse, or names a series nobody emits. */
export class PromqlCheckError extends Error {
  override readonly name = 'PromqlCheckError';
}

/** Grafana's built-in interval variables, replaced by a duration before parsing. */
const GRAFANA_DURATION_VARIABLES = /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;

/** Series Prometheus itself creates per target. */
export const PROMETHEUS_BUILTIN_SERIES: readonly string[] = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

/**
 * Parses `expr` with the Prometheus Lezer grammar (@prometheus-io/lezer-promql) after substituting Grafana's
 * `$__rate_interval`-style variables (and `label_values(m, l)` to `m`); returns the metric names of its
 * vector selectors. Throws {@link PromqlCheckError} naming the expression on a syntax error.
 */
export function promqlMetricNames(expr: string): string[] {
  const labelValues = /^\s*label_values\(\s*([^,]+?)\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)\s*$/.exec(expr);
  const source = (labelValues ? labelValues[1]! : expr).replace(GRAFANA_DURATION_VARIABLES, '5m');
  const tree = parser.parse(source);
  const names = new Set<string>();
  let error: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && error === undefined) error = node.from;
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(source.slice(node.from, node.to));
    },
  });
  if (error !== undefined) {
    throw new PromqlCheckError(`PromQL syntax error at ${error} in ${JSON.stringify(expr)}`);
  }
  return [...names];
}

/** Names a query may use: {@link queryableMetricNames}, `recordingRules`, Prometheus built-ins. */
export function allowedMetricNames(recordingRules: readonly string[]): Set<string> {
  return new Set([...queryableMetricNames(), ...recordingRules, ...PROMETHEUS_BUILTIN_SERIES]);
}

/**
 * Checks that `expr` parses and names only series from `allowed` (or prom-client defaults `process_*`,
 * `nodejs_*`); throws {@link PromqlCheckError} naming the unknown series otherwise.
 */
export function checkPromql(expr: string, allowed: ReadonlySet<string>): string[] {
  const names = promqlMetricNames(expr);
  for (const n of names) {
    const isDefault = PROM_CLIENT_DEFAULT_PREFIXES.some((p) => n.startsWith(p));
    if (!allowed.has(n) && !isDefault) throw new PromqlCheckError(`unknown series ${JSON.stringify(n)} in ${JSON.stringify(expr)}`);
  }
  return names;
}

/** Every PromQL string of a dashboard JSON: panel targets, variable queries, annotation expressions. */
export function dashboardQueries(dashboard: unknown): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const d = dashboard as {
    panels?: { title?: string; targets?: { expr?: string }[]; panels?: unknown[] }[];
    templating?: { list?: { name: string; query?: unknown }[] };
    annotations?: { list?: { name: string; expr?: string }[] };
  };
  const visit = (panels: typeof d.panels): void => {
    for (const p of panels ?? []) {
      for (const t of p.targets ?? []) if (typeof t.expr === 'string') out.push({ where: `panel ${p.title}`, expr: t.expr });
      visit(p.panels as typeof d.panels);
    }
  };
  visit(d.panels);
  for (const v of d.templating?.list ?? []) {
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    if (typeof q === 'string') out.push({ where: `variable ${v.name}`, expr: q });
  }
  for (const a of d.annotations?.list ?? []) if (typeof a.expr === 'string') out.push({ where: `annotation ${a.name}`, expr: a.expr });
  return out;
}
