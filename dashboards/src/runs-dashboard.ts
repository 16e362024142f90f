import { DashboardBuilder, QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as TablePanel } from '@grafana/grafana-foundation-sdk/table';
import { DATASOURCE, m, numberPanels, query, threshold, timeseries, toPlainJson } from './grafana-helpers.ts';

/** uid of the across-runs dashboard (`dashboards/siamwatch-runs.json`). */
export const RUNS_DASHBOARD_UID = 'siamwatch-runs';

const RUNS = 'run_id=~"$run_id"';

function latestTable(): TablePanel {
  const t = new TablePanel()
    .title('Latest values per run')
    .description('Last backbone AUC, effective rank, measured and forecast linear-probe accuracy and step of each run.')
    .datasource(DATASOURCE)
    .gridPos({ x: 0, y: 0, w: 24, h: 8 })
    .withTarget(query(`max by (run_id) (${m('collapseAuc')}{${RUNS},output="backbone"})`, 'AUC', 'A').instant().format('table' as never))
    .withTarget(query(`max by (run_id) (${m('collapseEffectiveRank')}{${RUNS},output="backbone"})`, 'effective rank', 'B').instant().format('table' as never))
    .withTarget(query(`max by (run_id) (${m('evalAccuracy')}{${RUNS},method="linear_probe"})`, 'linear probe', 'C').instant().format('table' as never))
    .withTarget(query(`max by (run_id) (${m('forecastAccuracy')}{${RUNS},bound="point"})`, 'forecast', 'D').instant().format('table' as never))
    .withTarget(query(`max by (run_id) (${m('trainStep')}{${RUNS}})`, 'step', 'E').instant().format('table' as never));
  t.withTransformation({ id: 'merge', options: {} });
  return t;
}

/**
 * The across-runs dashboard: the selected runs (multi-value `run_id`, default all) side by side: loss,
 * backbone and projector spectrum AUC, effective rank, measured and forecast accuracy, throughput, and a
 * table of the latest values. Returns plain JSON (Grafana schemaVersion 42).
 */
export function buildRunsDashboard(): Dashboard {
  const b = new DashboardBuilder('SiamWatch: compare runs')
    .uid(RUNS_DASHBOARD_UID)
    .description('Compare SiamWatch runs: collapse metrics and accuracy side by side.')
    .tags(['siamwatch', 'generated'])
    .refresh('30s')
    .time({ from: 'now-24h', to: 'now' })
    .timezone('browser')
    .withVariable(
      new QueryVariableBuilder('run_id')
        .label('Runs')
        .datasource(DATASOURCE)
        .query(`label_values(${m('trainSteps')}, run_id)`)
        .definition(`label_values(${m('trainSteps')}, run_id)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .multi(true)
        .includeAll(true)
        .allValue('.+'),
    )
    .withRow(new RowBuilder('Overview'))
    .withPanel(latestTable())
    .withRow(new RowBuilder('Collapse'))
    .withPanel(
      threshold(
        timeseries('Backbone spectrum AUC', '~0.5 healthy, 1.0 collapsed (Li, Efros & Pathak 2022, Eq. 2).', [
          query(`${m('collapseAuc')}{${RUNS},output="backbone"}`, '{{run_id}}'),
        ]).min(0.5).max(1).unit('percentunit'),
        0.9,
      ),
    )
    .withPanel(
      timeseries('Projector spectrum AUC', '~0.5 healthy, 1.0 collapsed.', [query(`${m('collapseAuc')}{${RUNS},output="projector"}`, '{{run_id}}')])
        .min(0.5)
        .max(1)
        .unit('percentunit'),
    )
    .withPanel(timeseries('Backbone effective rank', 'Higher is healthier.', [query(`${m('collapseEffectiveRank')}{${RUNS},output="backbone"}`, '{{run_id}}')]).min(1))
    .withPanel(timeseries('Loss', 'Training loss per run.', [query(`${m('trainLoss')}{${RUNS}}`, '{{run_id}}')]))
    .withRow(new RowBuilder('Accuracy and speed'))
    .withPanel(
      timeseries('Measured linear-probe accuracy', 'Ratio 0-1.', [query(`${m('evalAccuracy')}{${RUNS},method="linear_probe"}`, '{{run_id}}')])
        .min(0)
        .max(1)
        .unit('percentunit'),
    )
    .withPanel(
      timeseries('Forecast linear-probe accuracy', 'Point forecast from the spectrum.', [query(`${m('forecastAccuracy')}{${RUNS},bound="point"}`, '{{run_id}}')])
        .min(0)
        .max(1)
        .unit('percentunit'),
    )
    .withPanel(timeseries('Throughput', 'Images per second.', [query(`${m('trainThroughput')}{${RUNS}}`, '{{run_id}}')], 24));
  return numberPanels(toPlainJson(b.build()));
}
