import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR } from './rule-files.ts';

type Service = { image: string; network_mode?: string; command?: string[]; volumes?: string[] };
const compose = parse(readFileSync(join(INFRA_DIR, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const collector = parse(readFileSync(join(INFRA_DIR, 'otel-collector.yaml'), 'utf8')) as {
  receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  service: { pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
  exporters: Record<string, unknown>;
};

describe('docker-compose.yml (cannot run here: checked statically)', () => {
  it('runs Prometheus, Alertmanager, Grafana and the OpenTelemetry Collector with pinned images', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'grafana', 'otel-collector', 'prometheus']);
    for (const [name, s] of Object.entries(compose.services)) {
      expect(s.image, name).toMatch(/:[v0-9][0-9.]*$/);
      expect(s.network_mode, name).toBe('host');
    }
  });

  it('mounts files that exist in the repository', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0]!;
        if (!src.startsWith('.')) continue; // named volume
        expect(existsSync(resolve(INFRA_DIR, src)), `${name}: ${src}`).toBe(true);
      }
    }
  });

  it('binds every listener to loopback', () => {
    const flags = Object.values(compose.services).flatMap((s) => s.command ?? []);
    for (const f of flags.filter((x) => x.startsWith('--web.listen-address'))) expect(f).toMatch(/=127\.0\.0\.1:/);
    expect(flags).toContain('--cluster.listen-address=');
    for (const p of Object.values(collector.receivers.otlp.protocols)) expect(p.endpoint).toMatch(/^127\.0\.0\.1:/);
  });

  it('wires OTLP metrics and traces pipelines to defined exporters', () => {
    for (const [name, p] of Object.entries(collector.service.pipelines)) {
      expect(p.receivers, name).toEqual(['otlp']);
      for (const e of p.exporters) expect(Object.keys(collector.exporters), name).toContain(e);
    }
  });
});
