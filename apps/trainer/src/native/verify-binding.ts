/**
 * Loads a built binding in a fresh Node process (a crash or an unresolved symbol must not take the installer
 * down): either the bare addon (`dlopen` plus N-API init) or the whole package, which must then report the
 * `tensorflow` backend and train a 3x3 convolution (forward and both gradients, the ops the trainer needs).
 */
import { runTool } from './run-tool.ts';

/** The package's backend and the op check, as printed by the child. */
export interface VerifyReport {
  ok: boolean;
  /** `tensorflow` when the package loaded. */
  backend: string;
  /** What went wrong (the child's last output lines), or what it ran. */
  detail: string;
}

const PACKAGE_CHECK = `
const tf = require(process.argv[1]);
const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1);
const w = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2);
const g = tf.grads((a, b) => tf.conv2d(a, b, 1, 'same').square().sum())([x, w]);
const finite = g.every((t) => Number.isFinite(t.sum().dataSync()[0]));
console.log(JSON.stringify({ backend: tf.getBackend(), finite }));
`;

function childEnv(extraLibDir: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env['TF_CPP_MIN_LOG_LEVEL'] ?? '2' };
  if (extraLibDir !== undefined) {
    env['LD_LIBRARY_PATH'] = [extraLibDir, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
  }
  return env;
}

function tail(text: string): string {
  return text.trim().split('\n').slice(-4).join(' | ').slice(0, 600);
}

/** `require(addon)` in a child; `libDir` is added to the loader path (the addon's rpath may not exist yet). */
export function verifyAddon(addon: string, libDir?: string): VerifyReport {
  const run = runTool(process.execPath, ['-e', 'require(process.argv[1]); console.log("loaded")', addon], {
    tool: 'node',
    hint: 'run the installer with node',
    env: childEnv(libDir),
    timeoutMs: 120_000,
  });
  const ok = run.status === 0 && run.stdout.includes('loaded');
  return { ok, backend: '', detail: ok ? 'addon loads' : tail(run.stderr || run.stdout || `exit ${run.status}`) };
}

/** `require(pkg)` resolved from `fromDir` in a child; ok when its backend is `tensorflow` and the gradients are finite. */
export function verifyPackage(pkg: string, fromDir: string): VerifyReport {
  const resolve = `require.resolve(${JSON.stringify(pkg)}, { paths: [${JSON.stringify(fromDir)}] })`;
  const script = `process.argv[1] = ${resolve};\n${PACKAGE_CHECK}`;
  const run = runTool(process.execPath, ['-e', script], {
    tool: 'node',
    hint: 'run the installer with node',
    cwd: fromDir,
    env: childEnv(undefined),
    timeoutMs: 300_000,
  });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(line) as { backend: string; finite: boolean };
    const ok = run.status === 0 && parsed.backend === 'tensorflow' && parsed.finite;
    return { ok, backend: parsed.backend, detail: ok ? 'conv2d forward + gradients on the tensorflow backend' : `backend ${parsed.backend}, finite gradients ${parsed.finite}` };
  } catch {
    return { ok: false, backend: '', detail: tail(run.stderr || run.stdout || `exit ${run.status}`) };
  }
}
