/**
 * Renders the HTML report in headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core)
 * and screenshots every chart element to a PNG. Offline: every outside request is blocked and reported.
 * If Chromium is missing: `apt-get install -y chromium`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

/** Raised when the page cannot be rendered; the message names the file or the chart. */
export class RenderError extends Error {
  override readonly name = 'RenderError';
}

/** Where Chromium is looked for, in order. */
export const CHROMIUM_PATHS = ['/usr/lib/chromium/chromium', '/usr/bin/chromium'];

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions', '--disable-dev-shm-usage'];

/** Runs in the page (a string: the tools project has no DOM types): per chart its series lengths and canvas ink. */
const MEASURE = `window.__charts.map((c) => {
  const canvas = document.querySelector('#chart-' + c.id + ' canvas');
  let ink = 0;
  if (canvas) {
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let drawn = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) drawn += 1;
    ink = pixels.length > 0 ? drawn / (pixels.length / 4) : 0;
  }
  return { id: c.id, lengths: c.lengths, ink };
})`;

/** What the page reported after drawing: per chart, the non-null point count of each series, and canvas ink. */
export interface RenderedChart {
  id: string;
  lengths: number[];
  /** Share of canvas pixels that are not background (0 = blank). */
  ink: number;
  png?: string;
}

/** Options of {@link renderCharts}. */
export interface RenderOptions {
  /** Folder for `<chart id>.png`; omit to only inspect the page. */
  pngDir?: string;
  executablePath?: string;
}

/**
 * Opens `htmlFile`, waits for `body[data-rendered]`, checks there were no page errors or outside requests,
 * measures each chart canvas and (with `pngDir`) writes a screenshot of each chart figure.
 */
export async function renderCharts(htmlFile: string, options: RenderOptions = {}): Promise<RenderedChart[]> {
  const executablePath = options.executablePath ?? CHROMIUM_PATHS.find((p) => existsSync(p));
  if (executablePath === undefined) throw new RenderError(`Chromium not found at ${CHROMIUM_PATHS.join(' or ')}: apt-get install -y chromium`);
  if (!existsSync(htmlFile)) throw new RenderError(`report page "${htmlFile}" does not exist`);
  const browser = await chromium.launch({ executablePath, args: FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 900, height: 900 }, deviceScaleFactor: 1 });
    const errors: string[] = [];
    const url = pathToFileURL(htmlFile).href;
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.route('**/*', (route) => (route.request().url() === url ? route.continue() : (errors.push(`outside request ${route.request().url()}`), route.abort())));
    await page.goto(url);
    await page.locator('body[data-rendered]').waitFor({ state: 'attached', timeout: 20_000 });
    if (errors.length > 0) throw new RenderError(`report page "${htmlFile}" had errors: ${errors.join('; ')}`);
    const charts = (await page.evaluate(MEASURE)) as { id: string; lengths: number[]; ink: number }[];
    const result: RenderedChart[] = [];
    for (const chart of charts) {
      let png: string | undefined;
      if (options.pngDir !== undefined) {
        png = join(options.pngDir, `${chart.id}.png`);
        await page.locator(`#figure-${chart.id}`).screenshot({ path: png });
      }
      result.push({ ...chart, ...(png ? { png } : {}) });
    }
    return result;
  } finally {
    await browser.close();
  }
}
