/**
 * @siamwatch/infra: the Prometheus config, recording and alert rules and Alertmanager config of SiamWatch
 * (YAML next to this folder), with typed loaders for tools and tests.
 */
export {
  INFRA_DIR,
  INFRA_FILES,
  RuleFileError,
  loadAlertRules,
  loadRecordingRules,
  metricNamesInExpr,
  testedAlertNames,
  type AlertRule,
  type RecordingRule,
} from './rule-files.ts';
