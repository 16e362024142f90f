import { readFileSync } from 'node:fs';
import { deepMerge } from './deep-freeze.ts';
import { ConfigError, parseTrainConfig, type TrainConfig } from './train-config.ts';

/** Where a training configuration comes from: an optional JSON file and overrides (CLI flags) on top. */
export interface LoadTrainConfigOptions {
  /** Path of a JSON config file (same shape as `config.json` in a run directory). */
  configFile?: string;
  /** Values that win over the file, already in the nested config shape. */
  overrides?: Record<string, unknown>;
}

/**
 * Reads the JSON config file (if any), deep-merges the overrides on top, validates and deep-freezes.
 * An unreadable or malformed file raises {@link ConfigError} naming the file.
 */
export function loadTrainConfig(options: LoadTrainConfigOptions): TrainConfig {
  let base: unknown = {};
  if (options.configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(options.configFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read config file "${options.configFile}": ${(error as Error).message}`, 'config');
    }
    try {
      base = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`config file "${options.configFile}" is not valid JSON: ${(error as Error).message}`, 'config');
    }
    if (base === null || typeof base !== 'object' || Array.isArray(base)) {
      throw new ConfigError(`config file "${options.configFile}" must hold a JSON object (got ${JSON.stringify(base)})`, 'config');
    }
  }
  return parseTrainConfig(deepMerge(base, options.overrides ?? {}));
}
