import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from './create-telemetry.ts';
import { livePageHtml } from './live-page.ts';

const CHROMIUM = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => existsSync(p));
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

describe('livePageHtml', () => {
  it('escapes the run id and references only local assets', () => {
    const html = livePageHtml('<run&1>');
    expect(html).toContain('&#60;run&#38;1&#62;');
    expect(html).not.toContain('<run&1>');
    expect(html).toContain('const POLL = 3000;');
  });
});

describe('live page in headless Chromium', () => {
  it('draws six uPlot charts from /api/live without errors or outside requests', async () => {
    expect(CHROMIUM, 'chromium missing: run .ci/install-observability.sh').toBeDefined();
    const t = await createTelemetry({ runId: 'browser-run', port: 0, defaultMetrics: false });
    const browser = await chromium.launch({ executablePath: CHROMIUM!, args: FLAGS });
    try {
      t.setRegime('iid', 0, 'start');
      for (let i = 1; i <= 200; i++) {
        t.recordStep({ step: i, loss: -0.2 - 0.6 * (1 - Math.exp(-i / 50)), learningRate: 0.05 * Math.cos(i / 400), imagesPerSecond: 100 + (i % 7), durationSeconds: 0.03 });
        if (i % 20 === 0) {
          for (const output of ['backbone', 'projector'] as const) {
            const sv = Array.from({ length: 64 }, (_, k) => Math.pow(k + 1, output === 'backbone' ? -1 : -1.5 - i / 400));
            t.recordCollapse({ step: i, output, auc: 0.6 + i / 1000, effectiveRank: 40 - i / 10, stableRank: 5, alpha: 1 + i / 500, normalizedOutputStd: 0.1, dimensions: 64, singularValues: sv });
          }
          t.recordForecast({ step: i, point: 0.3 + i / 1000, low: 0.25 + i / 1000, high: 0.35 + i / 1000 });
        }
        if (i % 50 === 0) t.recordEvaluation({ step: i, linearProbeAccuracy: 0.3 + i / 1000, knnAccuracy: 0.25 + i / 1000 });
      }
      t.recordDecision({ step: 150, decision: 'switch_regime', reasonClass: 'collapse_onset', reason: 'projector AUC rising <fast>', regime: 'hybrid' });

      const page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
      const errors: string[] = [];
      const outside: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('request', (r) => !r.url().startsWith(t.url!) && outside.push(r.url()));
      await page.goto(`${t.url}/`);
      await page.locator('body[data-rendered]').waitFor({ state: 'attached', timeout: 15_000 });
      expect(await page.locator('canvas').count()).toBe(6);
      expect(await page.locator('#status').textContent()).toContain('regime hybrid');
      expect(await page.locator('#decisions li').first().textContent()).toContain('projector AUC rising <fast>');
      const titles = await page.locator('.u-title').allTextContents();
      expect(titles).toHaveLength(6);
      expect(titles.join('|')).toMatch(/spectrum/);
      if (process.env['SIAMWATCH_SCREENSHOT']) await page.screenshot({ path: process.env['SIAMWATCH_SCREENSHOT'], fullPage: true });
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
    } finally {
      await browser.close();
      await t.shutdown();
    }
  });
});
