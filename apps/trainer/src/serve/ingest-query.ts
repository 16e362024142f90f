/**
 * The parameters of one ingest (query string of `POST /v1/runs/{run}/embeddings`, or the name of a file dropped
 * for `siamwatch watch`), validated with zod. Errors are IngestError `bad-query` naming the parameter and value.
 */
import { z } from 'zod';
import { IngestError } from './serve-errors.ts';

const integer = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `expected an integer >= ${min}` })
    .transform(Number)
    .refine((v) => Number.isSafeInteger(v) && v >= min, { error: `expected an integer >= ${min}` });

const finiteOrNaN = z
  .string()
  .refine((s) => s.toLowerCase() === 'nan' || (s.trim() !== '' && Number.isFinite(Number(s))), { error: 'expected a finite number or nan' })
  .transform((s) => (s.toLowerCase() === 'nan' ? Number.NaN : Number(s)));

/** Zod schema of the ingest parameters (strings in, typed values out). */
export const ingestParamsSchema = z.strictObject({
  step: integer(0),
  total_steps: integer(1),
  /** Which output the rows are; optional for safetensors bodies whose tensors are named `backbone`/`projector`. */
  output: z.enum(['backbone', 'projector']).optional(),
  rank: integer(0).default(0),
  loss: finiteOrNaN.optional(),
  /** SimSiam's loss floor is -1 (negative cosine), BYOL's 0 (2 - 2 cos). */
  method: z.enum(['simsiam', 'byol']).default('simsiam'),
  /** A step is complete once this many distinct ranks posted it. */
  world_size: integer(1).optional(),
  regime: z.enum(['iid', 'multi-epoch', 'continual']).default('iid'),
  /** safetensors tensor to read when `output` is given and the file holds several tensors. */
  tensor: z.string().min(1).max(200).optional(),
});

/** Validated ingest parameters. */
export type IngestParams = z.infer<typeof ingestParamsSchema>;

/** Parameters of a loss-only post (`POST /v1/runs/{run}/loss`). */
export const lossParamsSchema = z.strictObject({ step: integer(0), loss: finiteOrNaN, rank: integer(0).default(0) });

/** Validated loss-only parameters. */
export type LossParams = z.infer<typeof lossParamsSchema>;

/** Parses `params` with `schema`; throws IngestError `bad-query` naming the first bad parameter and its value. */
export function parseParams<T extends z.ZodType>(schema: T, params: Record<string, string>, where = 'query parameter'): z.infer<T> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = String(issue?.path[0] ?? '');
  if (issue?.code === 'unrecognized_keys') {
    throw new IngestError('bad-query', `unknown ${where} ${issue.keys.map((k) => `'${k}'`).join(', ')}`);
  }
  if (!(key in params)) throw new IngestError('bad-query', `${where} ${key} is required`);
  const got = `'${String(params[key]).slice(0, 60)}'`;
  throw new IngestError('bad-query', `${where} ${key}: ${issue?.message ?? 'invalid'}, got ${got}`);
}

/** The query string of `url` as a plain object (a repeated key keeps its last value). */
export function queryOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries());
}

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** Checks a run name (URL segment or folder name): letters, digits, `_`, `.`, `-`, at most 128; IngestError `bad-run`. */
export function checkRunName(run: string): string {
  if (!RUN_NAME.test(run)) throw new IngestError('bad-run', `run name must match ${RUN_NAME.source}, got '${run.slice(0, 60)}'`);
  return run;
}
