import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../config/train-config.ts';
import type { EvaluationEvent } from './trainer-types.ts';
import { createTrainer } from './trainer.ts';

/**
 * SimSiam's stop-gradient ablation (Chen & He 2021, Fig. 2) on one small setting: synthetic 8x8
 * images, MLP backbone, identical seed, data, augmentations and lr. Without stop-gradient the
 * projector output z collapses onto one or two directions (spectrum AUC ~0.99, 2 components hold
 * 90% of the variance); with stop-gradient z keeps dozens of directions and the std of its
 * L2-normalised rows stays at the healthy 1/sqrt(d). The projector's last BN has no affine
 * parameters (SimSiam's code release), so z cannot become one constant point (std -> 0): the
 * collapse it allows is to a line through the origin. With `projectorOutputAffine` (the SimSiam
 * paper's Fig. 2 setting) it reaches the full collapse: normalised std -> 0.
 */
async function train(stopGradient: boolean, projectorOutputAffine = false, steps = 250): Promise<{ last: EvaluationEvent }> {
  const out = join(mkdtempSync(join(tmpdir(), 'siamwatch-collapse-')), 'run');
  const config = parseTrainConfig({
    dataset: { name: 'synthetic', imageSize: 8, maxTrain: 1000, maxTest: 500 },
    backbone: { kind: 'mlp', depth: 1, width: 64 },
    batchSize: 64,
    steps,
    baseLr: 3,
    stopGradient,
    projectorOutputAffine,
    eval: { atStart: false, probeTrain: 500, probeTest: 500 },
    checkpoint: { everySteps: 0, everySeconds: 0 },
    backend: 'wasm',
    seed: 11,
    out,
  });
  let last: EvaluationEvent | undefined;
  const result = await createTrainer(config, { hooks: [{ onEvaluation: (e) => void (last = e) }] }).run();
  if (!last || !result.summary) throw new Error('no final evaluation');
  return { last };
}

describe('stop-gradient ablation', () => {
  it('collapses the projector output without stop-gradient and not with it', async () => {
    const without = await train(false);
    const withSg = await train(true);
    const d = withSg.last.projector.dim;
    const collapsed = without.last.projector;
    const healthy = withSg.last.projector;
    // Without stop-gradient: the spectrum of z concentrates in one or two directions.
    expect(collapsed.auc).toBeGreaterThan(0.98);
    expect(collapsed.components90).toBeLessThanOrEqual(3);
    expect(collapsed.singularValues[2]!).toBeLessThan(0.05 * collapsed.singularValues[0]!);
    // With stop-gradient: many directions, normalised std at the healthy ~1/sqrt(d).
    expect(healthy.auc).toBeLessThan(0.97);
    expect(healthy.components90).toBeGreaterThanOrEqual(10);
    expect(healthy.rankme).toBeGreaterThan(3 * collapsed.rankme);
    expect(healthy.normalizedStd).toBeGreaterThan(0.9 / Math.sqrt(d));
    expect(collapsed.normalizedStd).toBeLessThan(0.9 * healthy.normalizedStd);
  }, 240_000);

  it('with an affine output BN (SimSiam paper, Fig. 2) collapses z to one point: normalised std -> 0, AUC -> 1', async () => {
    const without = await train(false, true, 600);
    const withSg = await train(true, true, 600);
    const d = withSg.last.projector.dim;
    const collapsed = without.last.projector;
    const healthy = withSg.last.projector;
    // Full collapse: every L2-normalised output is (nearly) the same vector.
    expect(collapsed.normalizedStd * Math.sqrt(d)).toBeLessThan(0.1);
    expect(collapsed.auc).toBeGreaterThan(0.98);
    expect(collapsed.rankme).toBeLessThan(4);
    // Healthy: std at ~1/sqrt(d), spectrum spread.
    expect(healthy.normalizedStd * Math.sqrt(d)).toBeGreaterThan(0.9);
    expect(healthy.auc).toBeLessThan(0.97);
  }, 300_000);
});
