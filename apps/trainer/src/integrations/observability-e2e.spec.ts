import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort, startHeldRun, type HeldRun } from './held-run-fixture.ts';

/**
 * Issue 5 end to end: Prometheus (Debian's, started by infra/scripts/start-local-stack.sh on loopback)
 * scrapes a real training run's `--metrics-port`; every dashboard query, recording rule and alert
 * expression is run against its HTTP API; SimSiam without stop-gradient drives the backbone spectrum
 * AUC over the collapse alert's threshold, and the alert goes pending (the real rule) and firing (a
 * test copy of the same expression with `for: 3s`, evaluated every second).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const COLLAPSE_ALERT = 'SiamWatchCollapseDecision';

type Sample = { metric: Record<string, string>; value: [number, string] };
type Rule = { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> };

async function query(base: string, q: string): Promise<Sample[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`query ${q} failed: ${body.error}`);
  return body.data!.result;
}

async function until<T>(what: string, seconds: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function rulesOf(file: string): Rule[] {
  const doc = parse(readFileSync(join(ROOT, 'infra/rules', file), 'utf8')) as { groups: { rules: Rule[] }[] };
  return doc.groups.flatMap((g) => g.rules);
}

/** Every `expr` of a committed Grafana dashboard, with Grafana's variables substituted. */
function dashboardQueries(file: string, runId: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'expr' && typeof value === 'string') found.push(value);
        else walk(value);
      }
    }
  };
  walk(JSON.parse(readFileSync(join(ROOT, 'dashboards', file), 'utf8')));
  return found.map((q) => q.replaceAll('$run_id', runId).replaceAll('$__rate_interval', '1m').replaceAll('$__interval', '15s').replaceAll('$__range', '5m'));
}

/** The alert's signal: every comparison turned into a `bool` comparison, so it returns data whether or not it fires. */
function signalOf(expr: string): string {
  return expr.replace(/(>=|<=|==|!=|>|<)(?!\s*bool)\s*/g, '$1 bool ');
}

describe('observability end to end: Prometheus scraping a real run', () => {
  let stack = '';
  let prom = '';
  let am = '';
  let run: HeldRun | undefined;

  beforeAll(async () => {
    run = await startHeldRun({
      dataset: { name: 'synthetic', imageSize: 8, maxTrain: 1000, maxTest: 256 },
      backbone: { kind: 'mlp', depth: 2, width: 64 },
      batchSize: 64,
      steps: 300,
      baseLr: 3,
      stopGradient: false,
      eval: { atStart: true, probeTrain: 256, probeTest: 256 },
      checkpoint: { everySteps: 60, everySeconds: 0 },
      monitor: 'act',
      backend: 'wasm',
      seed: 11,
    });
    stack = mkdtempSync(join(tmpdir(), 'siamwatch-e2e-stack-'));
    const [pp, ap] = [await freePort(), await freePort()];
    const started = spawnSync('bash', [join(ROOT, 'infra/scripts/start-local-stack.sh')], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PROMETHEUS_PORT: String(pp), ALERTMANAGER_PORT: String(ap), TRAINER_TARGET: `127.0.0.1:${run.port}`, STACK_DIR: stack },
    });
    expect(started.status, `${started.stdout}${started.stderr}`).toBe(0);
    prom = `http://127.0.0.1:${pp}`;
    am = `http://127.0.0.1:${ap}`;
    // Test-only copy of the collapse alert: the real expression, `for: 3s`, evaluated every second.
    const real = rulesOf('siamwatch-alerts.yml').find((r) => r.alert === COLLAPSE_ALERT)!;
    const copy = { groups: [{ name: 'siamwatch-e2e', interval: '1s', rules: [{ alert: `${COLLAPSE_ALERT}Fast`, expr: real.expr, for: '3s', labels: { severity: 'critical' } }] }] };
    writeFileSync(join(stack, 'config/rules/e2e-fast.yml'), JSON.stringify(copy));
    const config = join(stack, 'config/prometheus.yml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('rule_files:\n', 'rule_files:\n  - rules/e2e-fast.yml\n'));
    expect((await fetch(`${prom}/-/reload`, { method: 'POST' })).status).toBe(200);
    await until('the first scrape (up == 1)', 40, async () => ((await query(prom, 'up{job="siamwatch"} == 1')).length > 0 ? true : undefined));
    await run.trained;
    // Two more scrapes after the last step, so rates and the last values are in.
    const after = Date.now() / 1000;
    await until('two scrapes after training', 30, async () => {
      const [s] = await query(prom, `count_over_time(siamwatch_train_step{job="siamwatch"}[1m])`);
      const [t] = await query(prom, `timestamp(siamwatch_train_step{job="siamwatch"})`);
      return s && t && Number(t.value[1]) > after + 5 ? true : undefined;
    });
    // Recording rules are evaluated every 15 s: wait until each recorded series exists.
    const records = rulesOf('siamwatch-recording.yml').map((r) => r.record!);
    await until('every recorded series', 45, async () => {
      for (const name of records) if ((await query(prom, name)).length === 0) return undefined;
      return true;
    });
  }, 240_000);

  afterAll(async () => {
    for (const f of ['prometheus.pid', 'alertmanager.pid']) {
      try {
        process.kill(Number(readFileSync(join(stack, f), 'utf8')), 'SIGTERM');
      } catch {
        // not started or already gone
      }
    }
    await run?.release();
    await new Promise((r) => setTimeout(r, 300)); // let Prometheus and Alertmanager exit before removing their data
    if (stack) rmSync(stack, { recursive: true, force: true });
  }, 30_000);

  it('prints the /metrics and live page URLs of the run', () => {
    expect(run!.lines.join('\n')).toContain(`metrics: http://127.0.0.1:${run!.port}/metrics  live page: http://127.0.0.1:${run!.port}/`);
  });

  it('answers every dashboard panel query with data', async () => {
    const queries = [...dashboardQueries('siamwatch-run.json', 'run'), ...dashboardQueries('siamwatch-runs.json', 'run')];
    expect(queries.length).toBeGreaterThan(25);
    const empty: string[] = [];
    for (const q of queries) if ((await query(prom, q)).length === 0) empty.push(q);
    expect(empty).toEqual([]);
  });

  it('answers every recording rule with data and every alert signal with data', async () => {
    const empty: string[] = [];
    for (const rule of rulesOf('siamwatch-recording.yml')) if ((await query(prom, rule.expr)).length === 0) empty.push(rule.record!);
    for (const rule of rulesOf('siamwatch-alerts.yml')) {
      await query(prom, rule.expr); // the expression itself evaluates (it may be quiet)
      if ((await query(prom, signalOf(rule.expr))).length === 0) empty.push(`${rule.alert}: ${signalOf(rule.expr)}`);
    }
    expect(empty).toEqual([]);
  });

  it('puts the collapse alert in pending (real rule) and firing (short-for copy), and Alertmanager receives it', async () => {
    const [auc] = await query(prom, 'siamwatch_collapse_spectrum_auc_ratio{output="backbone"}');
    expect(Number(auc!.value[1])).toBeGreaterThan(0.9);
    const states = await until('the collapse alerts', 40, async () => {
      const body = (await (await fetch(`${prom}/api/v1/alerts`)).json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
      const real = body.data.alerts.find((a) => a.labels['alertname'] === COLLAPSE_ALERT);
      const fast = body.data.alerts.find((a) => a.labels['alertname'] === `${COLLAPSE_ALERT}Fast`);
      return real && fast?.state === 'firing' ? { real: real.state, fast: fast.state } : undefined;
    });
    expect(['pending', 'firing']).toContain(states.real);
    const received = await until('the alert in Alertmanager', 30, async () => {
      const alerts = (await (await fetch(`${am}/api/v2/alerts`)).json()) as { labels: Record<string, string> }[];
      return alerts.find((a) => a.labels['alertname'] === `${COLLAPSE_ALERT}Fast`);
    });
    expect(received.labels['run_id']).toBe('run');
  }, 90_000);
});
