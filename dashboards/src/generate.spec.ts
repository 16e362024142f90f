import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARDS_DIR, generatedFiles, writeGeneratedFiles } from './generate.ts';

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

  it('writes exactly these files, creating folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'siamwatch-dashboards-'));
    try {
      const written = writeGeneratedFiles(dir);
      expect(written.map((p) => relative(dir, p)).sort()).toEqual(Object.keys(files).sort());
      for (const p of written) expect(readFileSync(p, 'utf8')).toBe(files[relative(dir, p)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
