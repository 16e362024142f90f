import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, INFRA_FILES } from './rule-files.ts';

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd: INFRA_DIR, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw new Error(`${cmd} could not run (${r.error.message}); install it with .ci/install-observability.sh`);
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('Prometheus and Alertmanager configs (Debian promtool 2.42, amtool 0.25)', () => {
  it('promtool check config accepts prometheus.yml and its rule files', () => {
    const r = run('promtool', ['check', 'config', INFRA_FILES.prometheusConfig]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('2 rule files found');
  });

  it('promtool check rules accepts the recording and alert rules', () => {
    const r = run('promtool', ['check', 'rules', INFRA_FILES.recordingRules, INFRA_FILES.alertRules]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/SUCCESS: 9 rules found/);
  });

  it('promtool test rules: every alert fires when it should and stays quiet when it should not', () => {
    const r = run('promtool', ['test', 'rules', INFRA_FILES.alertTests]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('SUCCESS');
  });

  it('amtool check-config accepts alertmanager.yml', () => {
    const r = run('amtool', ['check-config', INFRA_FILES.alertmanagerConfig]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain('1 receivers');
  });

  it('promtool rejects a broken rule, so these checks can fail', () => {
    const r = spawnSync('promtool', ['check', 'rules'], {
      input: 'groups:\n  - name: x\n    rules:\n      - alert: Bad\n        expr: rate(foo[5m]\n',
      encoding: 'utf8',
    });
    expect(r.status).not.toBe(0);
  });
});
