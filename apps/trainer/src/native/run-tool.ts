/**
 * Runs one external program of the native build (python/pip, the C++ compiler, npm, node) synchronously and turns
 * "not installed" into a `MissingToolError` that names the tool and how to get it.
 */
import { spawnSync } from 'node:child_process';
import { MissingToolError } from './native-errors.ts';

/** What a finished program printed and its exit status (null when killed by a signal or timeout). */
export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** How to run one program: which tool it is (for the error), how to install it, where and how long. */
export interface ToolSpec {
  /** What the user must have, e.g. 'a C++ compiler (g++)'. */
  tool: string;
  /** How to get it, e.g. 'apt-get install g++'. */
  hint: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Default 20 minutes. */
  timeoutMs?: number;
}

/** Runs `command args`; throws `MissingToolError` when the program cannot be started. */
export function runTool(command: string, args: readonly string[], spec: ToolSpec): ToolResult {
  const run = spawnSync(command, args, {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: spec.timeoutMs ?? 20 * 60_000,
  });
  if (run.error !== undefined) {
    const code = (run.error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'is not on PATH' : `cannot be run (${run.error.message})`;
    throw new MissingToolError(spec.tool, command, reason, spec.hint);
  }
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** The last `n` non-empty lines of a program's output, for an error message. */
export function lastLines(text: string, n = 6): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-n)
    .join('\n');
}
