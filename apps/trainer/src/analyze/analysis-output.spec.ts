import { describe, expect, it } from 'vitest';
import { spectrumMetrics } from '@siamwatch/collapse-metrics';
import { formatResultsJson, formatResultsTable, resultToJson } from './analysis-output.ts';
import type { AnalysisResult } from './analyze-source.ts';

function result(label: string, values: number[], extra: Partial<AnalysisResult> = {}): AnalysisResult {
  const singularValues = Float64Array.from(values);
  return {
    file: 'runs/spectra.json',
    format: 'json',
    kind: 'spectrum',
    label,
    n: null,
    d: values.length,
    normalized: false,
    normalizedStd: null,
    singularValues,
    ...spectrumMetrics(singularValues),
    ...extra,
  };
}

const flat = result('flat', [1, 1, 1, 1]);
const rankOne = result('rank-one-with-a-long-label', [5, 0, 0, 0], { kind: 'matrix', format: 'npy', n: 1200, normalizedStd: 0.0123 });

describe('formatResultsTable', () => {
  it('aligns every column and shows healthy vs collapsed AUC', () => {
    const table = formatResultsTable([flat, rankOne]);
    const [header, first, second] = table.split('\n');
    expect(header?.split(/\s+/)).toEqual(['file', 'label', 'n', 'd', 'auc', 'rankme', 'stableRank', 'alpha', 'alphaR2', 'c90', 'c99', 'normStd']);
    expect(first?.length).toBe(header?.length);
    expect(second?.length).toBe(header?.length);
    expect(first).toMatch(/flat\s+-\s+4\s+0\.6250\s+4\.0\s+4\.00/);
    expect(second).toMatch(/rank-one-with-a-long-label\s+1200\s+4\s+1\.0000\s+1\.0\s+1\.00/);
    expect(second?.endsWith('0.0123')).toBe(true);
    expect(table).toContain('~0.5 flat, 1 rank one');
  });
});

describe('formatResultsJson', () => {
  it('is valid JSON with every metric, label, n, d and the spectrum per result', () => {
    const doc = JSON.parse(formatResultsJson([flat, rankOne], { normalize: true })) as {
      tool: string;
      normalize: boolean;
      results: Record<string, unknown>[];
    };
    expect(doc.tool).toBe('siamwatch analyze');
    expect(doc.normalize).toBe(true);
    expect(Object.keys(doc.results[0] ?? {}).sort()).toEqual(
      ['alpha', 'alphaR2', 'auc', 'components90', 'components99', 'd', 'dim', 'file', 'format', 'kind', 'label', 'n', 'normalized', 'normalizedStd', 'rankme', 'singularValues', 'stableRank'].sort(),
    );
    expect(doc.results[0]).toMatchObject({ label: 'flat', n: null, d: 4, auc: 0.625, singularValues: [1, 1, 1, 1] });
    expect(doc.results[1]).toMatchObject({ n: 1200, auc: 1, normalizedStd: 0.0123 });
  });

  it('writes one result per line and an empty list when there are no results', () => {
    const lines = formatResultsJson([flat, rankOne], { normalize: false }).split('\n');
    expect(lines).toHaveLength(9);
    expect(lines.filter((line) => line.startsWith('    {"file":'))).toHaveLength(2);
    expect(JSON.parse(formatResultsJson([], { normalize: false }))).toEqual({ tool: 'siamwatch analyze', normalize: false, results: [] });
  });

  it('turns the spectrum into a plain array', () => {
    expect(Array.isArray(resultToJson(flat).singularValues)).toBe(true);
  });
});
