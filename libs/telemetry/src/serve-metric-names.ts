/**
 * Series that only the `siamwatch serve` sidecar emits (ingest bookkeeping), declared once like {@link METRICS}.
 * The collapse, loss, forecast and decision series of served runs are the rows of {@link METRICS} themselves.
 */
import type { MetricSpec } from './metric-names.ts';

/** Labels added to every series of a served run: `run` (same value as `run_id`) and, on per-rank series, `rank`. */
export const SERVE_RUN_LABELS = ['run_id', 'run'] as const;

/** Ingest series of `siamwatch serve`, keyed by a short id. */
export const SERVE_METRICS = {
  serveSamples: {
    name: 'siamwatch_serve_samples_total',
    otelName: 'siamwatch.serve.samples',
    type: 'counter',
    help: 'Embedding rows accepted by siamwatch serve, by run and rank (sketches count their n).',
    unit: '{row}',
    labels: ['run_id', 'run', 'rank'],
  },
  serveChecks: {
    name: 'siamwatch_serve_checks_total',
    otelName: 'siamwatch.serve.checks',
    type: 'counter',
    help: 'Monitor checks run by siamwatch serve (one per completed step with embeddings).',
    unit: '{check}',
    labels: ['run_id', 'run'],
  },
  serveRejected: {
    name: 'siamwatch_serve_rejected_requests_total',
    otelName: 'siamwatch.serve.rejected_requests',
    type: 'counter',
    help: 'Requests siamwatch serve refused, by HTTP status (400 malformed, 401 token, 404, 409 late step, 413 too large).',
    unit: '{request}',
    labels: ['run_id', 'status'],
  },
} as const satisfies Record<string, MetricSpec>;
