/**
 * Writes `libs/monitor/calibration/synthetic-placeholder.json`: the placeholder calibration fitted
 * from the synthetic corpus. Run from libs/monitor with
 * `npx tsx src/testing/write-default-calibration.ts`. The file is written atomically
 * (temp file in the same directory, fsync, rename).
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PLACEHOLDER_CALIBRATION_URL } from '../load-calibration.ts';
import { fitCalibration } from '../fit-calibration.ts';
import { DEFAULT_CALIBRATION_CORPUS, DEFAULT_CALIBRATION_CREATED_AT, syntheticCorpus } from './synthetic-corpus.ts';

/** Fits the placeholder calibration (pure; used by the writer and by its test). */
export function placeholderCalibration() {
  return fitCalibration(syntheticCorpus(DEFAULT_CALIBRATION_CORPUS), {
    createdAt: DEFAULT_CALIBRATION_CREATED_AT,
    provenance: 'synthetic-placeholder',
    description:
      'Placeholder fitted from the synthetic corpus of libs/monitor/src/testing/synthetic-corpus.ts ' +
      `(runs=${DEFAULT_CALIBRATION_CORPUS.runs}, seed=${DEFAULT_CALIBRATION_CORPUS.seed}), not from real training runs; ` +
      'refit from trainer runs (metrics.jsonl) before trusting its forecasts.',
  });
}

function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = fileURLToPath(PLACEHOLDER_CALIBRATION_URL);
  writeAtomically(path, `${JSON.stringify(placeholderCalibration(), null, 1)}\n`);
  console.log(`wrote ${path}`);
}
