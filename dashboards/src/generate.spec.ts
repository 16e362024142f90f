import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR, generatedFiles } from './generate.ts';

describe('committed generated files', () => {
  const files = generatedFiles();

  it('cover both dashboards and the provisioning files', () => {
    expect(Object.keys(files).sort()).toEqual([
      'provisioning/alerting/siamwatch-alerts.json',
      'provisioning/dashboards.yml',
      'provisioning/datasources.yml',
      'siamwatch-run.json',
      'siamwatch-runs.json',
    ]);
  });

  it.each(Object.keys(generatedFiles()))('%s equals a fresh generation (run `npm run dashboards:generate` if stale)', (rel) => {
    const committed = readFileSync(join(DASHBOARDS_DIR, rel), 'utf8');
    expect(committed).toBe(files[rel]);
  });

  it('is deterministic', () => {
    expect(generatedFiles()).toEqual(files);
  });
});
