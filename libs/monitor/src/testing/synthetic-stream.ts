/**
 * Test helper: synthetic embedding streams whose spectrum is controlled, and a driver
 * that feeds them through a monitor like a trainer's step hook would.
 *
 * Rows are `x = offset * u + sigma (.) z` with `z ~ N(0, I_d)`, `u` the unit diagonal
 * direction and `sigma_i = (i + 1)^-beta` for `i < rank`, times `tail` beyond. Power
 * laws at d = 64: beta 0.5 -> AUC ~0.65, RankMe ~55; beta 0.9 -> AUC ~0.78, RankMe
 * ~35 (as in healthy MNIST runs of the trainer); a large
 * offset with a small rank is a collapse (normalised std -> 0, RankMe -> 1).
 */
import type { Regime } from '../decision-policy.ts';
import type { Monitor, MonitorCheck } from '../monitor.ts';
import { createRandom, type Random } from '../random.ts';

/** The spectrum shape of a batch. */
export interface StreamProfile {
  beta: number;
  rank: number;
  tail: number;
  offset: number;
  loss: number;
}

/** Draws an `n x d` batch with the given profile. */
export function syntheticBatch(random: Random, n: number, d: number, profile: StreamProfile): Float32Array {
  const out = new Float32Array(n * d);
  const shift = profile.offset / Math.sqrt(d);
  const sigma = Array.from({ length: d }, (_, i) => (i + 1) ** -profile.beta * (i < profile.rank ? 1 : profile.tail));
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < d; j++) out[r * d + j] = shift + sigma[j] * random.normal();
  }
  return out;
}

const smoothstep = (p: number) => 1 - Math.exp(-4 * p);

/** A healthy run: beta 0.5 -> 0.9 (AUC ~0.65 -> ~0.78), full rank, loss -0.3 -> -0.9. */
export function healthyProfile(progress: number, d: number): StreamProfile {
  const s = smoothstep(progress) / smoothstep(1);
  return { beta: 0.5 + 0.4 * s, rank: d, tail: 1, offset: 0, loss: -0.3 - 0.6 * s };
}

/**
 * Healthy until `onset`, then collapse over 25% of training. `complete`: the spectrum
 * steepens, the rank shrinks to 1 and the rows gather around one direction
 * (normalised std -> 0); `partial` (default): the variance concentrates in 4
 * directions, the rest shrinks 20-fold and a moderate common offset appears. The loss
 * is pinned near -1 in both.
 */
export function collapsingProfile(progress: number, d: number, onset = 0.4, kind: 'partial' | 'complete' = 'partial'): StreamProfile {
  if (progress <= onset) return healthyProfile(progress, d);
  const base = healthyProfile(onset, d);
  const c = Math.min(1, (progress - onset) / 0.25);
  const complete = kind === 'complete';
  return {
    beta: base.beta + (complete ? 2.5 : 0.6) * c,
    rank: Math.max(complete ? 1 : 4, Math.round(d * (1 - c))),
    tail: 1 - (complete ? 0.99 : 0.95) * c,
    offset: (complete ? 20 : 1.2) * c,
    loss: base.loss + ((complete ? -0.999 : -0.99) - base.loss) * Math.min(1, 2 * c),
  };
}

/** How to drive a monitor with a synthetic stream. */
export interface SimulationOptions {
  steps: number;
  checkEvery: number;
  batch: number;
  d: number;
  profile: (progress: number, d: number) => StreamProfile;
  regime?: Regime | ((progress: number) => Regime);
  seed?: number;
  /** Checks at the start whose profile is perturbed at random (beta +- 0.6, loss +- 0.3). */
  noisyChecks?: number;
  projector?: boolean;
}

/** Feeds `steps` batches through `monitor.observe` and runs `check` when due; returns the checks. */
export function simulateRun(monitor: Monitor, o: SimulationOptions): MonitorCheck[] {
  const random = createRandom(o.seed ?? 11);
  const checks: MonitorCheck[] = [];
  for (let step = 1; step <= o.steps; step++) {
    const progress = step / o.steps;
    let profile = o.profile(progress, o.d);
    if (Math.ceil(step / o.checkEvery) <= (o.noisyChecks ?? 0)) {
      profile = { ...profile, beta: Math.max(0, profile.beta + 1.2 * (random.next() - 0.5)), loss: profile.loss + 0.6 * (random.next() - 0.5) };
    }
    const backbone = { data: syntheticBatch(random, o.batch, o.d, profile), n: o.batch, d: o.d };
    const projector = o.projector ? { data: syntheticBatch(random, o.batch, o.d, profile), n: o.batch, d: o.d } : undefined;
    monitor.observe({ step, loss: profile.loss + 0.01 * random.normal(), backbone, ...(projector ? { projector } : {}) });
    if (monitor.due(step)) {
      const regime = typeof o.regime === 'function' ? o.regime(progress) : (o.regime ?? 'iid');
      checks.push(monitor.check({ step, totalSteps: o.steps, regime }));
    }
  }
  return checks;
}
