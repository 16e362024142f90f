/**
 * Options of `siamwatch serve` and `siamwatch watch` (commander strings in, zod-validated numbers out), with
 * their defaults. Errors are ServeConfigError naming the flag and value.
 */
import { z } from 'zod';
import { ServeConfigError } from './serve-errors.ts';

const MIB = 1024 * 1024;

/** Defaults of the serve limits. */
export const SERVE_DEFAULTS = Object.freeze({
  port: 9470,
  host: '127.0.0.1',
  /** Largest request body. */
  maxBodyMb: 64,
  /** Bytes all ranks may send for one step of one run. */
  maxStepMb: 256,
  /** Largest embedding dimension (memory is d^2 x 8 bytes per output and pending step). */
  maxDim: 2048,
  maxRuns: 64,
  /** Runs with no post for this long are forgotten. */
  runTtlSeconds: 3600,
  /** A step no rank posted to for this long is checked with the ranks it has. */
  stepTimeoutSeconds: 30,
});

const positive = (flag: string, integer: boolean) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
      ctx.addIssue({ code: 'custom', message: `${flag} must be a positive ${integer ? 'integer' : 'number'}, got '${String(v)}'` });
      return z.NEVER;
    }
    return n;
  });

const limitsSchema = z.object({
  maxBodyMb: positive('--max-body-mb', false).default(SERVE_DEFAULTS.maxBodyMb),
  maxStepMb: positive('--max-step-mb', false).default(SERVE_DEFAULTS.maxStepMb),
  maxDim: positive('--max-dim', true).default(SERVE_DEFAULTS.maxDim),
  maxRuns: positive('--max-runs', true).default(SERVE_DEFAULTS.maxRuns),
  runTtl: positive('--run-ttl', false).default(SERVE_DEFAULTS.runTtlSeconds),
  stepTimeout: positive('--step-timeout', false).default(SERVE_DEFAULTS.stepTimeoutSeconds),
});

/** Limits shared by serve and watch, in bytes and milliseconds. */
export interface ServeLimits {
  maxBodyBytes: number;
  maxStepBytes: number;
  maxDim: number;
  maxRuns: number;
  runTtlMs: number;
  stepTimeoutMs: number;
}

/** Validates the limit flags (commander's raw values); throws ServeConfigError. */
export function parseServeLimits(raw: Record<string, unknown>): ServeLimits {
  const r = limitsSchema.safeParse(raw);
  if (!r.success) throw new ServeConfigError(r.error.issues[0]?.message ?? 'bad option');
  const o = r.data;
  return {
    maxBodyBytes: Math.floor(o.maxBodyMb * MIB),
    maxStepBytes: Math.floor(o.maxStepMb * MIB),
    maxDim: o.maxDim,
    maxRuns: o.maxRuns,
    runTtlMs: o.runTtl * 1000,
    stepTimeoutMs: o.stepTimeout * 1000,
  };
}

/** Validates `--port` (0-65535, 0 = ephemeral). */
export function parsePort(value: unknown): number {
  const n = Number(value ?? SERVE_DEFAULTS.port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ServeConfigError(`--port must be an integer in 0-65535, got '${String(value)}'`);
  return n;
}
