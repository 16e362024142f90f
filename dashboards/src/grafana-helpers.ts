import { METRICS, type MetricId } from '@siamwatch/telemetry';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as TimeseriesPanel } from '@grafana/grafana-foundation-sdk/timeseries';
import {
  GraphThresholdsStyleConfigBuilder,
  GraphThresholdsStyleMode,
  LegendDisplayMode,
  LegendPlacement,
  VizLegendOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';

/** The Prometheus datasource every panel uses; provisioned by `provisioning/datasources.yml`. */
export const DATASOURCE = { type: 'prometheus', uid: 'siamwatch-prometheus' } as const;

/** Grafana's built-in datasource (built-in annotations), which always exists. */
export const GRAFANA_BUILTIN_DATASOURCE_UID = 'grafana';

/** The Prometheus series name of a {@link METRICS} row: dashboards never spell names themselves. */
export function m(id: MetricId): string {
  return METRICS[id].name;
}

/** `_bucket` series of a histogram row of {@link METRICS}. */
export function bucket(id: MetricId): string {
  const spec = METRICS[id];
  if (spec.type !== 'histogram') throw new RangeError(`${spec.name} is a ${spec.type}, not a histogram`);
  return `${spec.name}_bucket`;
}

/** One PromQL target with a legend. */
export function query(expr: string, legend: string, refId = 'A'): DataqueryBuilder {
  return new DataqueryBuilder().expr(expr).legendFormat(legend).refId(refId).datasource(DATASOURCE);
}

/** A time series panel of `w x h` grid units with a bottom legend and the project datasource. */
export function timeseries(title: string, description: string, targets: DataqueryBuilder[], w = 12, h = 8): TimeseriesPanel {
  const p = new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .gridPos({ x: 0, y: 0, w, h })
    .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom).calcs([]))
    .lineWidth(1)
    .fillOpacity(0);
  for (const t of targets) p.withTarget(t);
  return p;
}

/**
 * Draws a dashed line at `value` and colours beyond it `color` (`above` true: values above are bad).
 */
export function threshold(panel: TimeseriesPanel, value: number, above = true, color = 'red'): TimeseriesPanel {
  const steps = above
    ? [{ value: null, color: 'green' }, { value, color }]
    : [{ value: null, color }, { value, color: 'green' }];
  return panel
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps))
    .thresholdsStyle(new GraphThresholdsStyleConfigBuilder().mode(GraphThresholdsStyleMode.Dashed));
}

/** Gives every panel (rows included, nested too) a unique id 1..n in layout order: the SDK leaves them unset. */
export function numberPanels<T extends { panels?: { id?: number; panels?: { id?: number }[] }[] }>(dashboard: T): T {
  let next = 1;
  for (const p of dashboard.panels ?? []) {
    p.id = next++;
    for (const child of p.panels ?? []) child.id = next++;
  }
  return dashboard;
}

/** The built object of a dashboard as plain JSON (the SDK objects hold functions). */
export function toPlainJson<T>(built: T): T {
  return JSON.parse(JSON.stringify(built)) as T;
}
