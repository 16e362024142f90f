import { AnnotationQueryBuilder, DashboardBuilder, QueryVariableBuilder, RowBuilder, VariableRefresh, VariableSort, MappingType, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { PanelBuilder as StateTimelinePanel } from '@grafana/grafana-foundation-sdk/statetimeline';
import { LineInterpolation, ScaleDistribution, ScaleDistributionConfigBuilder, VisibilityMode } from '@grafana/grafana-foundation-sdk/common';
import { DATASOURCE, bucket, m, numberPanels, query, threshold, timeseries, toPlainJson } from './grafana-helpers.ts';

/** uid of the single-run dashboard (`dashboards/siamwatch-run.json`). */
export const RUN_DASHBOARD_UID = 'siamwatch-run';

const RUN = 'run_id="$run_id"';

function regimeTimeline(): StateTimelinePanel {
  return new StateTimelinePanel()
    .title('Data regime')
    .description('Which data regime the trainer uses (siamwatch_monitor_regime_active == 1); switches are annotated.')
    .datasource(DATASOURCE)
    .gridPos({ x: 0, y: 0, w: 24, h: 5 })
    .withTarget(query(`max by (regime) (${m('regimeActive')}{${RUN}})`, '{{regime}}'))
    .mappings([
      {
        type: MappingType.ValueToText,
        options: { '0': { text: 'inactive', color: 'transparent', index: 0 }, '1': { text: 'active', color: 'green', index: 1 } },
      },
    ])
    .showValue(VisibilityMode.Never)
    .mergeValues(true)
    .rowHeight(0.8);
}

/**
 * The run dashboard: one `run_id` (variable), training signals (loss, lr, throughput, step duration), the
 * collapse metrics of backbone and projector (AUC of Li, Efros & Pathak 2022 Eq. 2, effective and stable
 * rank, alpha, normalised-output std), forecast vs measured accuracy, the regime timeline, and annotations
 * for regime switches and early stops. Returns plain JSON (Grafana schemaVersion 42).
 */
export function buildRunDashboard(): Dashboard {
  const b = new DashboardBuilder('SiamWatch: run')
    .uid(RUN_DASHBOARD_UID)
    .description('One SiamWatch training run: training signals, dimensional-collapse metrics, forecast accuracy, regimes.')
    .tags(['siamwatch', 'generated'])
    .refresh('10s')
    .time({ from: 'now-3h', to: 'now' })
    .timezone('browser')
    .withVariable(
      new QueryVariableBuilder('run_id')
        .label('Run')
        .datasource(DATASOURCE)
        .query(`label_values(${m('trainSteps')}, run_id)`)
        .definition(`label_values(${m('trainSteps')}, run_id)`)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalDesc),
    )
    .annotation(
      new AnnotationQueryBuilder()
        .name('Regime switches and early stops')
        .datasource(DATASOURCE)
        .enable(true)
        .iconColor('orange')
        // A decision counter is born at 1, which changes() cannot see: also mark series new in the last minute.
        .expr(`(changes(${m('decisions')}{${RUN}}[1m]) > 0) or (${m('decisions')}{${RUN}} unless ${m('decisions')}{${RUN}} offset 1m)`)
        .step('15s')
        .titleFormat('{{decision}}')
        .textFormat('reason class: {{reason_class}}')
        .tagKeys('decision,reason_class'),
    )
    .withRow(new RowBuilder('Training'))
    .withPanel(timeseries('Loss', 'Training loss of the last step (negative cosine similarity; -1 is perfect agreement).', [query(`${m('trainLoss')}{${RUN}}`, 'loss')]))
    .withPanel(timeseries('Learning rate', 'Learning rate of the last step.', [query(`${m('trainLearningRate')}{${RUN}}`, 'lr')]))
    .withPanel(
      timeseries('Throughput', 'Images per second of the last step.', [query(`${m('trainThroughput')}{${RUN}}`, 'images/s')]).unit('none'),
    )
    .withPanel(
      timeseries('Step duration', 'p50 and p95 of the step wall time over the rate interval.', [
        query(`histogram_quantile(0.5, sum by (le) (rate(${bucket('trainStepDuration')}{${RUN}}[$__rate_interval])))`, 'p50', 'A'),
        query(`histogram_quantile(0.95, sum by (le) (rate(${bucket('trainStepDuration')}{${RUN}}[$__rate_interval])))`, 'p95', 'B'),
      ]).unit('s'),
    )
    .withRow(new RowBuilder('Dimensional collapse (Li, Efros & Pathak 2022)'))
    .withPanel(
      threshold(
        timeseries('Spectrum AUC', 'AUC of the cumulative explained variance of the singular values: ~0.5 flat (healthy), 1.0 rank one. Alert above 0.9.', [
          query(`${m('collapseAuc')}{${RUN}}`, '{{output}}'),
        ]).min(0.5).max(1).unit('percentunit'),
        0.9,
      ),
    )
    .withPanel(
      timeseries('Effective rank', 'exp(entropy of the normalised singular values), with the output dimension d for scale.', [
        query(`${m('collapseEffectiveRank')}{${RUN}}`, '{{output}}', 'A'),
        query(`${m('collapseDimensions')}{${RUN}}`, 'd {{output}}', 'B'),
      ]).min(1).scaleDistribution(new ScaleDistributionConfigBuilder().type(ScaleDistribution.Log).log(2)),
    )
    .withPanel(timeseries('Stable rank', 'sum(s_i^2) / s_1^2: large healthy, 1 collapsed.', [query(`${m('collapseStableRank')}{${RUN}}`, '{{output}}')]).min(1))
    .withPanel(timeseries('Spectrum decay alpha', 'Power-law exponent of the eigenspectrum: ~1 healthy, larger decays faster.', [query(`${m('collapseAlpha')}{${RUN}}`, '{{output}}')]))
    .withPanel(
      threshold(
        timeseries('Normalised output std x sqrt(d)', 'Std of the l2-normalised output times sqrt(d): ~1 healthy, 0 complete collapse. Alert below 0.2.', [
          query(`siamwatch:collapse_normalized_output_std_scaled:ratio{${RUN}}`, '{{output}}'),
        ]).min(0),
        0.2,
        false,
      ),
    )
    .withPanel(
      timeseries('Effective rank / d', 'Fraction of the dimensions in use. Alert below 0.05 for the backbone.', [
        query(`siamwatch:collapse_effective_rank_fraction:ratio{${RUN}}`, '{{output}}'),
      ]).min(0).max(1).unit('percentunit'),
    )
    .withRow(new RowBuilder('Accuracy'))
    .withPanel(
      timeseries('Forecast vs measured linear-probe accuracy', 'Forecast from the spectrum (point, low, high) against the measured linear-probe and kNN accuracy.', [
        query(`${m('forecastAccuracy')}{${RUN}}`, 'forecast {{bound}}', 'A'),
        query(`${m('evalAccuracy')}{${RUN}}`, 'measured {{method}}', 'B'),
      ], 24, 9).min(0).max(1).unit('percentunit'),
    )
    .withRow(new RowBuilder('Regime, checkpoints, telemetry'))
    .withPanel(regimeTimeline())
    .withPanel(
      timeseries('Monitor decisions', 'Regime switches and early stops so far, per decision and reason class.', [
        query(`sum by (decision, reason_class) (${m('decisions')}{${RUN}})`, '{{decision}} ({{reason_class}})'),
      ], 8).lineInterpolation(LineInterpolation.StepAfter).min(0).decimals(0),
    )
    .withPanel(
      timeseries('Checkpoint writes', 'Checkpoint write duration (mean over the interval) and size.', [
        query(`rate(${m('checkpointDuration')}_sum{${RUN}}[$__rate_interval]) / rate(${m('checkpointDuration')}_count{${RUN}}[$__rate_interval])`, 'mean write s', 'A'),
      ], 8).unit('s'),
    )
    .withPanel(
      timeseries('Exporter errors', 'OTLP exports dropped after retries, per signal; training is unaffected.', [
        query(`increase(${m('exporterErrors')}{${RUN}}[$__rate_interval])`, '{{signal}}'),
      ], 8),
    );
  return numberPanels(toPlainJson(b.build()));
}
