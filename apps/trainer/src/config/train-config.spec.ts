import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliOptionsToConfig } from './cli-overrides.ts';
import { ConfigError, loadTrainConfig, parseTrainConfig } from './train-config.ts';

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseTrainConfig', () => {
  it('applies defaults and freezes deeply', () => {
    const config = parseTrainConfig({});
    expect(config.method).toBe('simsiam');
    expect(config.batchSize).toBe(64);
    expect(config.stopGradient).toBe(true);
    expect(config.eval.knnK).toBe(20);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.dataset)).toBe(true);
    expect(() => {
      (config as { batchSize: number }).batchSize = 3;
    }).toThrow(TypeError);
  });

  it('names the field and the bad value', () => {
    const error = errorOf(() => parseTrainConfig({ batchSize: -3 }));
    expect(error.name).toBe('ConfigError');
    expect(error.field).toBe('batchSize');
    expect(error.message).toContain('batchSize');
    expect(error.message).toContain('-3');
  });

  it('rejects bad enums and nested fields', () => {
    const method = errorOf(() => parseTrainConfig({ method: 'moco' }));
    expect(method.message).toContain('method');
    expect(method.message).toContain('"moco"');
    const fraction = errorOf(() => parseTrainConfig({ dataset: { name: 'mnist', fraction: 1.5 } }));
    expect(fraction.field).toBe('dataset.fraction');
    expect(fraction.message).toContain('1.5');
  });

  it('rejects unknown keys', () => {
    const error = errorOf(() => parseTrainConfig({ batchsize: 32 }));
    expect(error.message).toContain('batchsize');
  });

  it('requires a path for npy datasets', () => {
    const error = errorOf(() => parseTrainConfig({ dataset: { name: 'npy' } }));
    expect(error.field).toBe('dataset.path');
  });
});

describe('loadTrainConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'siamwatch-config-'));

  it('merges CLI flags over the JSON file', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ batchSize: 32, stopGradient: false, dataset: { name: 'synthetic', maxTrain: 500 } }));
    const config = loadTrainConfig({
      configFile: file,
      overrides: cliOptionsToConfig({ dataset: 'fashion-mnist', epochs: '2', seed: '7' }),
    });
    expect(config.batchSize).toBe(32);
    expect(config.stopGradient).toBe(false);
    expect(config.dataset.name).toBe('fashion-mnist');
    expect(config.dataset.maxTrain).toBe(500);
    expect(config.epochs).toBe(2);
    expect(config.seed).toBe(7);
  });

  it('names a malformed file', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "batchSize": ');
    expect(errorOf(() => loadTrainConfig({ configFile: file })).message).toContain(file);
    expect(errorOf(() => loadTrainConfig({ configFile: join(dir, 'missing.json') })).message).toContain('missing.json');
  });

  it('rejects non-numeric numeric flags', () => {
    const error = errorOf(() => cliOptionsToConfig({ epochs: 'ten' }));
    expect(error.message).toContain('--epochs');
    expect(error.message).toContain('"ten"');
  });
});
