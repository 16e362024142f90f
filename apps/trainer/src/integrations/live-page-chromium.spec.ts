import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHeldRun, type HeldRun } from './held-run-fixture.ts';

/** Chromium flags that work headless on a CI machine (no sandbox, no network but loopback). */
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
const CHARTS = ['loss', 'throughput', 'collapse', 'spectrum', 'accuracy', 'regimes'] as const;

/** Per chart: finite points of each uPlot series (x excluded) and the non-white pixels of its canvas. */
type ChartState = Record<string, { points: number[]; inked: number }>;

async function chartState(page: Page): Promise<ChartState> {
  return (await page.evaluate(`(() => {
    const out = {};
    for (const [id, u] of Object.entries(charts)) {
      const points = u.data.slice(1).map((s) => s.filter((v) => v !== null && v !== undefined && Number.isFinite(v)).length);
      const c = u.ctx.canvas, px = u.ctx.getImageData(0, 0, c.width, c.height).data;
      let inked = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && (px[i] < 200 || px[i + 1] < 200 || px[i + 2] < 200)) inked++;
      out[id] = { points, inked };
    }
    return out;
  })()`)) as ChartState;
}

async function renders(page: Page): Promise<number> {
  return Number(await page.evaluate('document.body.dataset.rendered || 0'));
}

async function nextRender(page: Page): Promise<void> {
  const before = await renders(page);
  await page.waitForFunction(`Number(document.body.dataset.rendered || 0) > ${before}`, undefined, { timeout: 20_000 });
}

describe('the built-in live page in headless Chromium during a real run', () => {
  let run: HeldRun | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    run = await startHeldRun({
      dataset: { name: 'synthetic', imageSize: 8, maxTrain: 1000, maxTest: 256 },
      backbone: { kind: 'mlp', depth: 2, width: 64 },
      batchSize: 64,
      steps: 300,
      baseLr: 3,
      stopGradient: false,
      eval: { atStart: true, everyEpochs: 5, probeTrain: 256, probeTest: 256 },
      checkpoint: { everySteps: 0, everySeconds: 0 },
      monitor: 'act',
      backend: 'wasm',
      seed: 11,
    });
    browser = await chromium.launch({ executablePath: '/usr/lib/chromium/chromium', args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await run?.release();
  }, 30_000);

  it('draws loss, collapse metrics, spectrum, forecast vs measured and the regime timeline', async () => {
    const page = await browser!.newPage({ viewport: { width: 1200, height: 900 } });
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    page.on('pageerror', (e) => failed.push(String(e)));
    await page.goto(`http://127.0.0.1:${run!.port}/`);
    // While training: the page polls /api/live and the loss chart grows.
    await page.waitForFunction(`typeof charts !== 'undefined' && charts.loss && charts.loss.data[0].length > 0`, undefined, { timeout: 30_000 });
    const early = await chartState(page);
    let finished = false;
    void run!.trained.then(() => (finished = true));
    expect(finished, 'the first chart was drawn while the run was still training').toBe(false);
    expect(early['loss']!.points[0]).toBeGreaterThan(0);
    await run!.trained;
    await nextRender(page);
    const state = await chartState(page);
    for (const id of CHARTS) {
      expect(state[id], id).toBeDefined();
      expect(state[id]!.inked, `${id} canvas has ink`).toBeGreaterThan(200);
    }
    expect(state['loss']!.points[0]).toBeGreaterThan(early['loss']!.points[0]!);
    expect(state['loss']!.points[1], 'learning rate').toBeGreaterThan(10);
    expect(state['collapse']!.points.every((n) => n >= 3), 'AUC and effective rank of both outputs').toBe(true);
    expect(state['spectrum']!.points.every((n) => n >= 32), 'singular values and c_k of both outputs').toBe(true);
    const [forecast, low, high, linear, knn] = state['accuracy']!.points;
    expect(Math.min(forecast!, low!, high!), 'forecast, low, high from the monitor checks').toBeGreaterThanOrEqual(3);
    expect(Math.min(linear!, knn!), 'measured linear probe and kNN').toBeGreaterThanOrEqual(2);
    const live = (await (await fetch(`http://127.0.0.1:${run!.port}/api/live`)).json()) as { regimes: unknown; decisions: unknown };
    expect(state['regimes']!.points[0], `regime timeline: start and the monitor switch ${JSON.stringify([live.regimes, live.decisions])}`).toBeGreaterThanOrEqual(3);
    expect(await page.textContent('#decisions')).toMatch(/switch_regime \(collapse_onset\) → continual/);
    expect(failed).toEqual([]);
  }, 120_000);
});
