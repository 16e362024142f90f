import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelemetry, type Telemetry } from '@siamwatch/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INFRA_DIR, INFRA_FILES, loadAlertRules, loadRecordingRules } from './rule-files.ts';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function promQuery(base: string, q: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}`);
  const body = (await res.json()) as { status: string; error?: string; data?: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  if (body.status !== 'success') throw new Error(`query ${q} failed: ${body.error}`);
  return body.data!.result;
}

describe('start-local-stack.sh with a live telemetry target', () => {
  let dir = '';
  let telemetry: Telemetry | undefined;
  let prom = '';
  let am = '';

  beforeAll(async () => {
    telemetry = await createTelemetry({ runId: 'stack-test', port: 0 });
    telemetry.setRegime('iid', 0);
    for (let i = 1; i <= 50; i++) telemetry.recordStep({ step: i, loss: -0.6, learningRate: 0.05, imagesPerSecond: 90, durationSeconds: 0.04 });
    for (const output of ['backbone', 'projector'] as const) {
      telemetry.recordCollapse({ step: 50, output, auc: 0.7, effectiveRank: 30, stableRank: 4, alpha: 1.1, normalizedOutputStd: 0.08, dimensions: 64 });
    }
    telemetry.recordForecast({ step: 50, point: 0.4, low: 0.35, high: 0.45 });
    telemetry.recordEvaluation({ step: 50, linearProbeAccuracy: 0.41, knnAccuracy: 0.38 });
    telemetry.recordCheckpoint({ step: 50, durationSeconds: 0.4, bytes: 1 << 20 });
    telemetry.recordDecision({ step: 50, decision: 'switch_regime', reasonClass: 'collapse_onset', reason: 'test', regime: 'hybrid' });
    dir = mkdtempSync(join(tmpdir(), 'siamwatch-stack-test-'));
    const [pp, ap] = [await freePort(), await freePort()];
    const r = spawnSync('bash', [INFRA_FILES.startLocalStack], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { ...process.env, PROMETHEUS_PORT: String(pp), ALERTMANAGER_PORT: String(ap), TRAINER_TARGET: new URL(telemetry.url!).host, STACK_DIR: dir },
    });
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
    prom = `http://127.0.0.1:${pp}`;
    am = `http://127.0.0.1:${ap}`;
    // Prometheus 2.42 refreshes targets every 5 s: poll for the first scrape instead of sleeping.
    const deadline = Date.now() + 25_000;
    while (Date.now() < deadline && (await promQuery(prom, 'up{job="siamwatch"} == 1')).length === 0) {
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 60_000);

  afterAll(async () => {
    for (const f of ['prometheus.pid', 'alertmanager.pid']) {
      try {
        process.kill(Number(readFileSync(join(dir, f), 'utf8')), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await telemetry?.shutdown();
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on loopback only and loads every rule', async () => {
    const rules = (await (await fetch(`${prom}/api/v1/rules`)).json()) as { data: { groups: { rules: unknown[] }[] } };
    const count = rules.data.groups.reduce((n, g) => n + g.rules.length, 0);
    expect(count).toBe(loadAlertRules().length + loadRecordingRules().length);
    expect((await fetch(`${am}/-/ready`)).status).toBe(200);
    const ss = spawnSync('ss', ['-ltnH'], { encoding: 'utf8' }).stdout;
    for (const port of [new URL(prom).port, new URL(am).port]) {
      const lines = ss.split('\n').filter((l) => l.includes(`:${port} `));
      expect(lines.length, ss).toBeGreaterThan(0);
      for (const l of lines) expect(l).toContain(`127.0.0.1:${port}`);
    }
    expect(ss).not.toMatch(/(0\.0\.0\.0|\*|\[::\]):9094 /);
  });

  it('scrapes the telemetry server and every recording rule expression returns data', async () => {
    expect(await promQuery(prom, 'up{job="siamwatch"} == 1')).toHaveLength(1);
    const auc = await promQuery(prom, 'siamwatch_collapse_spectrum_auc_ratio{output="backbone"}');
    expect(auc[0]?.metric['run_id']).toBe('stack-test');
    expect(Number(auc[0]?.value[1])).toBeCloseTo(0.7);
    for (const r of loadRecordingRules()) {
      if (r.record.includes(':rate5m') || r.record.includes('p95_5m')) continue; // need two scrapes
      const res = await promQuery(prom, r.expr);
      expect(res.length, r.record).toBeGreaterThan(0);
    }
    const scaled = await promQuery(prom, loadRecordingRules().find((r) => r.record.includes('normalized_output_std_scaled'))!.expr);
    expect(Number(scaled[0]?.value[1])).toBeCloseTo(0.08 * 8);
  });

  it('answers every query of the committed Grafana dashboards, with data for the plain selectors', async () => {
    const queries: string[] = [];
    for (const file of ['siamwatch-run.json', 'siamwatch-runs.json']) {
      const d = JSON.parse(readFileSync(join(INFRA_DIR, '..', 'dashboards', file), 'utf8')) as { panels: { targets?: { expr?: string }[] }[] };
      for (const p of d.panels) for (const t of p.targets ?? []) if (t.expr) queries.push(t.expr);
    }
    expect(queries.length).toBeGreaterThan(20);
    for (const q of queries) {
      const expr = q.replaceAll('$run_id', 'stack-test').replaceAll('$__rate_interval', '1m');
      const res = await promQuery(prom, expr);
      const plain = !/rate\(|increase\(|histogram_quantile|siamwatch:/.test(q);
      if (plain) expect(res.length, expr).toBeGreaterThan(0);
    }
  });
});
