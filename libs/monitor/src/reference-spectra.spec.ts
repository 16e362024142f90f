import { readFileSync } from 'node:fs';
import { spectrumMetrics } from '@siamwatch/collapse-metrics';
import { describe, expect, it } from 'vitest';
import { createOnsetDetector, type OnsetResult } from './onset-detector.ts';

/**
 * The paper authors' spectra of finished SimSiam ResNet-18 runs (512-d backbone) pre-trained on
 * 1-100% of ImageNet (Li, Efros & Pathak, ECCV 2022): AUC 0.61 (1%), 0.75 (5%), 0.88 (20%).
 * Used here as realistic spectrum endpoints of a trajectory, in tests only.
 */
interface ReferenceSpectra {
  dim: number;
  runs: { percentOfImagenet: number; singularValues: number[] }[];
}

const reference = JSON.parse(
  readFileSync('/work/shared/reference/simsiam-resnet18-imagenet-spectra.json', 'utf8'),
) as ReferenceSpectra;

function spectrum(percent: number): number[] {
  const run = reference.runs.find((r) => r.percentOfImagenet === percent);
  if (run === undefined) throw new Error(`reference run ${percent}% missing`);
  return run.singularValues;
}

/** Feeds checks whose spectrum moves geometrically from `from` to `to` over `checks` checks, then stays. */
function trajectory(from: number[], to: number[], checks: number, loss = -0.9): OnsetResult[] {
  const detector = createOnsetDetector();
  const results: OnsetResult[] = [];
  for (let c = 0; c < checks + 6; c++) {
    const t = Math.min(1, c / checks);
    const s = from.map((v, i) => Math.max(v, 1e-12) ** (1 - t) * Math.max(to[i], 1e-12) ** t);
    const m = spectrumMetrics(s);
    results.push(detector.update({ step: c * 100, loss, backbone: { auc: m.auc, rankme: m.rankme, alpha: m.alpha } }));
  }
  return results;
}

describe('onset detection on the paper authors\' ResNet-18 spectra', () => {
  it('moving from the 1% spectrum to the 5% one (AUC 0.61 -> 0.75) stays healthy', () => {
    const results = trajectory(spectrum(1), spectrum(5), 20);
    expect(spectrumMetrics(spectrum(5)).auc - spectrumMetrics(spectrum(1)).auc).toBeGreaterThan(0.1);
    expect(results.every((r) => r.state === 'healthy')).toBe(true);
  });

  it('moving to the partially collapsed 20% spectrum (RankMe 465 -> 140) is flagged suspect, not collapsing', () => {
    const results = trajectory(spectrum(1), spectrum(20), 20);
    const last = results[results.length - 1];
    expect(last.state).toBe('suspect');
    const transition = results.find((r) => r.transition)?.transition;
    expect(transition?.to).toBe('suspect');
    expect(new Set(transition?.evidence.map((e) => e.signal))).toEqual(new Set(['rank-drop', 'auc-rise']));
    expect(results.some((r) => r.state === 'collapsing')).toBe(false);
  });

  it('the same move with the loss pinned at -1 is still only suspect: one collapse-level kind is not enough', () => {
    const results = trajectory(spectrum(1), spectrum(20), 20, -0.999);
    expect(results[results.length - 1].level).toBe(1);
    expect(results.some((r) => r.state === 'collapsing')).toBe(false);
  });
});
