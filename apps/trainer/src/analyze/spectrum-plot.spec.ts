import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spectrumMetrics } from '@siamwatch/collapse-metrics';
import type { AnalysisResult } from './analyze-source.ts';
import { renderSpectrumPlotHtml, spectrumPlotData, writeSpectrumPlot } from './spectrum-plot.ts';

function result(label: string, values: number[], file = 'in.json'): AnalysisResult {
  const singularValues = Float64Array.from(values);
  return {
    file,
    format: 'json',
    kind: 'spectrum',
    label,
    n: null,
    d: values.length,
    normalized: false,
    normalizedStd: null,
    singularValues,
    ...spectrumMetrics(singularValues),
  };
}

const embedded = (html: string): unknown =>
  JSON.parse(/<script type="application\/json" id="siamwatch-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null');

describe('spectrum plot', () => {
  it('embeds each spectrum with its cumulative explained variance', () => {
    const data = spectrumPlotData([result('a', [3, 1]), result('b', [2, 2, 0])]);
    expect(data.runs.map((r) => r.name)).toEqual(['a', 'b']);
    const twoFiles = spectrumPlotData([result('a', [1], 'runs/x.json'), result('a', [1], 'runs/y.json')]);
    expect(twoFiles.runs.map((r) => r.name)).toEqual(['x.json: a', 'y.json: a']);
    expect(data.runs[0]?.cumulative).toEqual([0.75, 1]);
    expect(data.runs[1]?.singularValues).toEqual([2, 2, 0]);
    expect(data.runs[1]?.auc).toBeCloseTo((0.5 + 1 + 1) / 3, 14);
  });

  it('is self-contained: uPlot inlined, no external scripts or stylesheets', () => {
    const html = renderSpectrumPlotHtml([result('a', [3, 1])]);
    expect(html).toContain('var uPlot=');
    expect(html).toContain('.uplot');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/);
    expect(html).not.toMatch(/<link[^>]*stylesheet/);
    expect(embedded(html)).toEqual(spectrumPlotData([result('a', [3, 1])]));
  });

  it('escapes labels in the page and in the embedded JSON', () => {
    const html = renderSpectrumPlotHtml([result('</script><b>x', [1, 1], 'a&b.json')]);
    expect(html).not.toContain('</script><b>');
    expect(html).toContain('&lt;/script&gt;&lt;b&gt;x');
    expect(html).toContain('a&amp;b.json');
    expect((embedded(html) as { runs: { name: string }[] }).runs[0]?.name).toBe('</script><b>x');
  });

  it('writes the page atomically to the given path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'spectrum-plot-'));
    try {
      const path = join(dir, 'p.html');
      await writeSpectrumPlot(path, [result('run', [4, 2, 1])]);
      const html = await readFile(path, 'utf8');
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect((embedded(html) as { runs: { singularValues: number[] }[] }).runs[0]?.singularValues).toEqual([4, 2, 1]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
