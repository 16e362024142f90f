/**
 * A sketch body: instead of rows, a client sends the moments of its `n x d` sample, which merge exactly like
 * rows (Li, Efros & Pathak 2022 need only the centred scatter's spectrum). JSON:
 * `{ "n": 256, "sum": [d column sums], "gram": [d*d, row-major X^T X],
 *    "normalizedSum": [d], "normalizedSquareSum": [d] }` (the last two: column sums and sums of squares of
 * the L2-normalised rows, for SimSiam's normalised-output std, which the onset detector and forecast use).
 */
import { momentAccumulatorFromState, type MomentAccumulator } from '@siamwatch/collapse-metrics';
import { z } from 'zod';
import { IngestError } from './serve-errors.ts';

const finiteArray = z.array(z.number().refine(Number.isFinite, { error: 'must be finite' }));

/** Zod schema of a sketch body. */
export const sketchSchema = z.strictObject({
  n: z.number().int().min(1),
  sum: finiteArray.min(1),
  gram: finiteArray,
  normalizedSum: finiteArray,
  normalizedSquareSum: finiteArray,
});

/** A validated sketch. */
export type Sketch = z.infer<typeof sketchSchema>;

/** Parses and validates a sketch body; throws IngestError `bad-sketch` naming the field. */
export function parseSketch(body: Uint8Array): Sketch {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'));
  } catch (error) {
    throw new IngestError('bad-sketch', `sketch body is not JSON: ${(error as Error).message}`);
  }
  const result = sketchSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new IngestError('bad-sketch', `sketch field ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const s = result.data;
  const d = s.sum.length;
  if (s.gram.length !== d * d) throw new IngestError('bad-sketch', `sketch field gram: expected ${d * d} numbers (d x d for d = ${d}), got ${s.gram.length}`);
  for (const key of ['normalizedSum', 'normalizedSquareSum'] as const) {
    const v = s[key];
    if (v.length !== d) throw new IngestError('bad-sketch', `sketch field ${key}: expected ${d} numbers, got ${v.length}`);
  }
  return s;
}

/** The moment accumulator of a sketch: mean = sum / n, centred scatter = Gram - n mean mean^T (upper triangle). */
export function sketchAccumulator(s: Sketch): MomentAccumulator {
  const d = s.sum.length;
  const mean = s.sum.map((v) => v / s.n);
  const scatter: number[] = [];
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) scatter.push((s.gram[i * d + j] ?? 0) - s.n * (mean[i] ?? 0) * (mean[j] ?? 0));
  }
  return momentAccumulatorFromState({ version: 1, dim: d, normalize: false, decay: 1, count: s.n, rowsSeen: s.n, mean, scatter });
}
