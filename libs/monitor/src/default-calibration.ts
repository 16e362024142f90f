import { readFileSync } from 'node:fs';
import type { Calibration } from './calibration.ts';
import { loadCalibration } from './load-calibration.ts';

/** Location of the calibration shipped with the library (`libs/monitor/calibration/default.json`). */
export const DEFAULT_CALIBRATION_URL = new URL('../calibration/default.json', import.meta.url);

let cached: Calibration | undefined;

/**
 * The calibration shipped with the library, loaded and validated on first use. Until
 * real trainer runs exist it is fitted from the synthetic corpus of
 * `src/testing/synthetic-corpus.ts` and says so: `provenance` is
 * `"synthetic-placeholder"`, so its forecasts are placeholders, not measurements.
 */
export function defaultCalibration(): Calibration {
  cached ??= loadCalibration(readFileSync(DEFAULT_CALIBRATION_URL, 'utf8'));
  return cached;
}
