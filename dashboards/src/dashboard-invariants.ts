/**
 * Structural checks of a Grafana dashboard JSON that need no Grafana: unique panel ids, panels inside the
 * 24-column grid and not overlapping, every `$variable` defined, every datasource uid known.
 */

/** What is wrong with a dashboard, one line per problem (empty when valid). */
export type DashboardProblems = string[];

interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface PanelLike {
  id?: number;
  type?: string;
  title?: string;
  gridPos?: GridPos;
  datasource?: { uid?: string };
  targets?: { expr?: string; datasource?: { uid?: string } }[];
  panels?: PanelLike[];
}

interface DashboardLike {
  uid?: string;
  title?: string;
  panels?: PanelLike[];
  templating?: { list?: { name: string; datasource?: { uid?: string } }[] };
  annotations?: { list?: { name?: string; datasource?: { uid?: string }; expr?: string }[] };
}

const BUILTIN_VARIABLES = new Set(['__rate_interval', '__interval', '__interval_ms', '__range', '__range_s', '__range_ms', '__dashboard', '__from', '__to', '__name', '__org', '__user', 'timeFilter']);

function overlaps(a: GridPos, b: GridPos): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** All panels, nested ones (inside collapsed rows) included. */
export function allPanels(d: DashboardLike): PanelLike[] {
  const out: PanelLike[] = [];
  const visit = (ps: PanelLike[] | undefined): void => {
    for (const p of ps ?? []) {
      out.push(p);
      visit(p.panels);
    }
  };
  visit(d.panels);
  return out;
}

/** Checks the invariants; `datasourceUids` are the uids provisioned (plus Grafana's built-in `grafana`). */
export function dashboardProblems(dashboard: unknown, datasourceUids: ReadonlySet<string>): DashboardProblems {
  const d = dashboard as DashboardLike;
  const problems: string[] = [];
  if (typeof d.uid !== 'string' || d.uid === '') problems.push('dashboard has no uid');
  const panels = allPanels(d);
  const ids = new Map<number, string>();
  for (const p of panels) {
    const name = `${p.type} "${p.title}"`;
    if (typeof p.id !== 'number') problems.push(`${name} has no id`);
    else if (ids.has(p.id)) problems.push(`${name} reuses id ${p.id} of ${ids.get(p.id)}`);
    else ids.set(p.id, name);
    const g = p.gridPos;
    if (!g) problems.push(`${name} has no gridPos`);
    else if (g.x < 0 || g.y < 0 || g.w < 1 || g.h < 1 || g.x + g.w > 24) problems.push(`${name} gridPos ${JSON.stringify(g)} is outside the 24-column grid`);
    for (const uid of [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource?.uid)]) {
      if (uid !== undefined && !datasourceUids.has(uid)) problems.push(`${name} uses unknown datasource uid "${uid}"`);
    }
  }
  const top = (d.panels ?? []).filter((p) => p.gridPos);
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      if (overlaps(top[i]!.gridPos!, top[j]!.gridPos!)) problems.push(`"${top[i]!.title}" overlaps "${top[j]!.title}"`);
    }
  }
  const defined = new Set((d.templating?.list ?? []).map((v) => v.name));
  for (const v of d.templating?.list ?? []) {
    if (v.datasource?.uid !== undefined && !datasourceUids.has(v.datasource.uid)) problems.push(`variable ${v.name} uses unknown datasource uid "${v.datasource.uid}"`);
  }
  for (const a of d.annotations?.list ?? []) {
    if (a.datasource?.uid !== undefined && !datasourceUids.has(a.datasource.uid)) problems.push(`annotation ${a.name} uses unknown datasource uid "${a.datasource.uid}"`);
  }
  const text = JSON.stringify(d);
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
    const name = m[1]!;
    if (!defined.has(name) && !BUILTIN_VARIABLES.has(name)) problems.push(`undefined variable $${name}`);
  }
  return [...new Set(problems)];
}
