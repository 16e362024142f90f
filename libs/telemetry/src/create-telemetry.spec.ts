import { execFileSync, spawnSync } from 'node:child_process';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelemetry, createTelemetryWith } from './create-telemetry.ts';
import type { LiveSnapshot } from './live-history.ts';
import { METRICS, type MetricSpec } from './metric-names.ts';
import { TelemetryConfigError, TelemetryInputError } from './record-validation.ts';
import type { Telemetry } from './telemetry-types.ts';

const open: Telemetry[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.shutdown()));
});

async function started(runId = 'run-1'): Promise<Telemetry> {
  const t = await createTelemetry({ runId, port: 0 });
  open.push(t);
  return t;
}

function feed(t: Telemetry): void {
  t.setRegime('iid', 0, 'start');
  for (let i = 1; i <= 20; i++) t.recordStep({ step: i, loss: -0.5 - i / 100, learningRate: 0.05, imagesPerSecond: 120, durationSeconds: 0.03, epoch: i / 10 });
  for (const output of ['backbone', 'projector'] as const) {
    t.recordCollapse({ step: 20, output, auc: 0.62, effectiveRank: 40, stableRank: 6, alpha: 1.2, normalizedOutputStd: 0.09, dimensions: 128, singularValues: [9, 4, 2, 1] });
  }
  t.recordEvaluation({ step: 20, linearProbeAccuracy: 0.41, knnAccuracy: 0.37 });
  t.recordForecast({ step: 20, point: 0.42, low: 0.38, high: 0.47 });
  t.recordCheckpoint({ step: 20, durationSeconds: 0.2, bytes: 4096 });
  t.recordDecision({ step: 20, decision: 'switch_regime', reasonClass: 'collapse_onset', reason: 'backbone AUC rose 0.05', regime: 'hybrid' });
}

describe('createTelemetry /metrics', () => {
  it('serves OpenTelemetry series and prom-client defaults in one scrape that promtool parses', async () => {
    const t = await started();
    expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    feed(t);
    const res = await fetch(`${t.url}/metrics`);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const body = await res.text();
    for (const m of Object.values(METRICS) as MetricSpec[]) {
      const series = m.type === 'histogram' ? `${m.name}_bucket{` : `${m.name}{`;
      expect(body, m.name).toContain(series);
    }
    expect(body).toContain('siamwatch_train_loss{run_id="run-1"} -0.7');
    expect(body).toContain('siamwatch_monitor_regime_active{run_id="run-1",regime="hybrid"} 1');
    expect(body).toContain('siamwatch_monitor_regime_active{run_id="run-1",regime="iid"} 0');
    expect(body).toMatch(/^process_cpu_user_seconds_total\{run_id="run-1"\} /m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes\{run_id="run-1"\} /m);
    const types = [...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]);
    expect(new Set(types).size).toBe(types.length);

    const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    const out = `${check.stdout}${check.stderr}`;
    // Exit 0 = clean, 3 = lint findings only; parse errors exit 1 with "error while linting".
    expect([0, 3], out).toContain(check.status);
    expect(out).not.toMatch(/error while linting|parse/i);
    const flagged = out.split('\n').filter((l) => l.trim() !== '').map((l) => l.split(' ')[0]);
    for (const name of flagged) expect(name, out).toMatch(/^(process_|nodejs_)/);
  });

  it('exports NaN loss as NaN and counts it as non-finite', async () => {
    const t = await started('nan-run');
    t.recordStep({ step: 1, loss: Number.NaN, learningRate: 0.1, imagesPerSecond: 1, durationSeconds: 1 });
    const body = await (await fetch(`${t.url}/metrics`)).text();
    expect(body).toContain('siamwatch_train_loss{run_id="nan-run"} NaN');
    expect(body).toContain('siamwatch_train_nonfinite_losses_total{run_id="nan-run"} 1');
  });

  it('answers 404 on unknown paths and 405 on POST', async () => {
    const t = await started();
    expect((await fetch(`${t.url}/nope`)).status).toBe(404);
    expect((await fetch(`${t.url}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});

describe('createTelemetry live page', () => {
  it('serves /api/live with the recorded series and / with a uPlot page without CDN', async () => {
    const t = await started('live-run');
    feed(t);
    const live = (await (await fetch(`${t.url}/api/live`)).json()) as LiveSnapshot;
    expect(live.runId).toBe('live-run');
    expect(live.steps.step).toHaveLength(20);
    expect(live.steps.loss[19]).toBeCloseTo(-0.7);
    expect(live.collapse.projector.series.auc).toEqual([0.62]);
    expect(live.collapse.backbone.dimensions).toBe(128);
    expect(live.spectrum.backbone?.singularValues).toEqual([9, 4, 2, 1]);
    expect(live.spectrum.backbone?.cumulativeExplainedVariance).toEqual([0.5625, 0.8125, 0.9375, 1]);
    expect(live.accuracy.forecast.point).toEqual([0.42]);
    expect(live.accuracy.measured.knn).toEqual([0.37]);
    expect(live.regimes.current).toBe('hybrid');
    expect(live.regimes.timeline.map((e) => e.regime)).toEqual(['iid', 'hybrid']);
    expect(live.decisions[0]?.reason).toBe('backbone AUC rose 0.05');

    const html = await (await fetch(`${t.url}/`)).text();
    expect(html).toContain('<link rel="icon" href="data:,">');
    expect(html).toContain('assets/uplot.js');
    expect(html).not.toMatch(/https?:\/\//);
    const js = await fetch(`${t.url}/assets/uplot.js`);
    expect(js.status).toBe(200);
    expect(await js.text()).toContain('uPlot');
    expect((await fetch(`${t.url}/assets/uplot.css`)).status).toBe(200);
  });
});

describe('createTelemetry spans and decisions', () => {
  it('nests spans, records errors, and adds decisions as span events', async () => {
    const spans = new InMemorySpanExporter();
    const logs: string[] = [];
    const logger = { info: (_f: object, m: string) => logs.push(m), warn: () => undefined, error: () => undefined };
    const t = await createTelemetryWith({ runId: 'span-run', logger }, { spanExporter: spans });
    open.push(t);
    const result = await t.span('epoch', { epoch: 3 }, async () => {
      await t.span('evaluation', { step: 30 }, () => 1);
      t.recordDecision({ step: 30, decision: 'early_stop', reasonClass: 'forecast_drop', reason: 'forecast fell below 0.2' });
      return 42;
    });
    expect(result).toBe(42);
    await expect(t.span('checkpoint', {}, () => Promise.reject(new Error('disk full')))).rejects.toThrow('disk full');
    const done = spans.getFinishedSpans();
    const byName = new Map(done.map((s) => [s.name, s]));
    const epoch = byName.get('siamwatch.epoch')!;
    const evaluation = byName.get('siamwatch.evaluation')!;
    expect(evaluation.parentSpanContext?.spanId).toBe(epoch.spanContext().spanId);
    expect(epoch.attributes).toMatchObject({ epoch: 3, 'siamwatch.run_id': 'span-run' });
    expect(epoch.events[0]!.name).toBe('siamwatch.decision');
    expect(epoch.events[0]!.attributes).toMatchObject({ 'siamwatch.reason': 'forecast fell below 0.2' });
    expect(byName.get('siamwatch.checkpoint')!.status.code).toBe(2);
    expect(logs.some((l) => l.includes('early_stop') && l.includes('forecast fell below 0.2'))).toBe(true);
    expect(t.url).toBeUndefined();
  });
});

describe('createTelemetry input checks', () => {
  it('raises typed errors naming the bad value', async () => {
    await expect(createTelemetry({ runId: 'bad id!' })).rejects.toThrow(TelemetryConfigError);
    await expect(createTelemetry({ runId: 'ok', port: 70000 })).rejects.toThrow(/70000/);
    const t = await started('checks');
    expect(() => t.recordEvaluation({ step: 1, linearProbeAccuracy: 41 })).toThrow(/41/);
    expect(() => t.recordCollapse({ step: 1, output: 'head' as never, auc: 1, effectiveRank: 1, stableRank: 1, alpha: 1, normalizedOutputStd: 0, dimensions: 2 })).toThrow(TelemetryInputError);
    expect(() => t.recordDecision({ step: 1, decision: 'early_stop', reasonClass: 'Bad Class', reason: '' })).toThrow(/"Bad Class"/);
    expect(() => t.recordForecast({ step: 1, point: 0.5, low: 0.6, high: 0.7 })).toThrow(/0.6/);
    expect(() => t.recordCheckpoint({ step: 1, durationSeconds: -2 })).toThrow(/-2/);
  });

  it('fails with a typed error when the port is taken', async () => {
    const t = await started();
    const port = Number(new URL(t.url!).port);
    await expect(createTelemetry({ runId: 'dup', port })).rejects.toThrow(new RegExp(`${port}`));
    expect(execFileSync('promtool', ['--version'], { encoding: 'utf8' })).toMatch(/promtool/);
  });
});
