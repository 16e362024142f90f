/**
 * Validation of the `siamwatch analyze` flags (zod): commander hands over raw
 * strings, this turns them into typed options or raises an `AnalyzeError`
 * naming the flag and the bad value.
 */
import { z } from 'zod';
import { AnalyzeError } from './analyze-error.ts';

/** Validated options of `siamwatch analyze`. */
export interface AnalyzeOptions {
  /** Print one JSON document instead of the table. */
  readonly json: boolean;
  /** L2-normalise rows before the spectrum (matrix inputs only). */
  readonly normalize: boolean;
  /** Write a self-contained HTML plot of the spectra to this file. */
  readonly plot?: string;
  /** Rows per chunk read from matrix files; default ~4 MiB per chunk. */
  readonly chunkRows?: number;
  /** safetensors tensor to analyse; default the only 2-D tensor. */
  readonly tensor?: string;
}

const FLAG_NAMES: Record<string, string> = {
  json: '--json',
  normalize: '--normalize',
  plot: '--plot',
  chunkRows: '--chunk-rows',
  tensor: '--tensor',
};

const schema = z.object({
  json: z.boolean().default(false),
  normalize: z.boolean().default(false),
  plot: z
    .string()
    .min(1, 'must name a file')
    .refine((p) => p.toLowerCase().endsWith('.html') || p.toLowerCase().endsWith('.htm'), 'must end in .html')
    .optional(),
  chunkRows: z
    .string()
    .regex(/^\d+$/, 'must be a positive integer')
    .transform(Number)
    .refine((v) => Number.isSafeInteger(v) && v >= 1, 'must be a positive integer')
    .optional(),
  tensor: z.string().min(1, 'must name a tensor').optional(),
});

/**
 * Validates the raw commander options `raw` (strings for valued flags, booleans
 * for switches). Raises `AnalyzeError` (code `bad-option`), e.g.
 * `--chunk-rows '0' must be a positive integer`.
 */
export function parseAnalyzeOptions(raw: Record<string, unknown>): AnalyzeOptions {
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? '');
    const value = raw[key];
    const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
    throw new AnalyzeError('bad-option', `${FLAG_NAMES[key] ?? key} ${shown} ${issue?.message ?? 'is invalid'}`);
  }
  const { json, normalize, plot, chunkRows, tensor } = result.data;
  return {
    json,
    normalize,
    ...(plot === undefined ? {} : { plot }),
    ...(chunkRows === undefined ? {} : { chunkRows }),
    ...(tensor === undefined ? {} : { tensor }),
  };
}
