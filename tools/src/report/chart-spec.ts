/**
 * A report chart as data: a shared ascending x column and series of y values (null = no point), the
 * shape uPlot draws. The same data is written as CSV beside each PNG so every plot's numbers are in
 * the repository.
 */
import { ReportStatsError } from './report-stats.ts';

/** One plotted series. `points`: markers only (scatter); `dashed`: a spread band edge. */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  style?: 'line' | 'points' | 'dashed';
}

/** A chart: `x` ascending, each series as long as `x`. */
export interface ChartSpec {
  id: string;
  title: string;
  caption: string;
  xLabel: string;
  yLabel: string;
  xLog?: boolean;
  yLog?: boolean;
  x: number[];
  series: ChartSeries[];
}

/** Checks lengths, ascending x and that the chart has at least one finite point; returns the chart. */
export function validateChart(chart: ChartSpec): ChartSpec {
  if (!/^[a-z0-9-]+$/.test(chart.id)) throw new ReportStatsError(`chart id must be kebab-case, got "${chart.id}"`);
  for (let i = 1; i < chart.x.length; i++) {
    if (!(chart.x[i] >= chart.x[i - 1])) throw new ReportStatsError(`chart "${chart.id}": x must be ascending, got ${chart.x[i - 1]} then ${chart.x[i]}`);
  }
  for (const s of chart.series) {
    if (s.values.length !== chart.x.length) {
      throw new ReportStatsError(`chart "${chart.id}": series "${s.label}" has ${s.values.length} values for ${chart.x.length} x values`);
    }
  }
  if (!chart.series.some((s) => s.values.some((v) => v !== null && Number.isFinite(v)))) {
    throw new ReportStatsError(`chart "${chart.id}" has no data`);
  }
  return chart;
}

function csvCell(value: string | number | null): string {
  if (value === null || (typeof value === 'number' && !Number.isFinite(value))) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The chart as CSV: a header (x label, series labels) and one row per x value. */
export function chartCsv(chart: ChartSpec): string {
  const rows = [[chart.xLabel, ...chart.series.map((s) => s.label)].map(csvCell).join(',')];
  chart.x.forEach((x, i) => rows.push([x, ...chart.series.map((s) => s.values[i])].map(csvCell).join(',')));
  return `${rows.join('\n')}\n`;
}

/**
 * Merges (x, y) point sets of several series onto one ascending x column (uPlot's aligned data):
 * each series gets null where it has no point.
 */
export function alignSeries(sets: readonly { label: string; points: readonly [number, number][]; style?: ChartSeries['style'] }[]): { x: number[]; series: ChartSeries[] } {
  const xs = [...new Set(sets.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const series = sets.map((s) => {
    const values: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [x, y] of s.points) values[index.get(x) ?? 0] = y;
    return { label: s.label, values, ...(s.style ? { style: s.style } : {}) };
  });
  return { x: xs, series };
}

/** Samples a descending spectrum at `grid` relative ranks q in (0, 1]: value at index ceil(q d) - 1. */
export function atRelativeRank(values: readonly number[], grid: readonly number[]): number[] {
  const d = values.length;
  return grid.map((q) => values[Math.min(d - 1, Math.max(0, Math.ceil(q * d) - 1))]);
}
