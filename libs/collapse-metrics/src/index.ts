/**
 * `@siamwatch/collapse-metrics`: pure-TypeScript spectrum math to detect dimensional collapse in
 * non-contrastive Siamese self-supervised learning (Li, Efros & Pathak, ECCV 2022, "Understanding
 * Collapse in Non-Contrastive Siamese Representation Learning"). Matrices are row-major `n x d`
 * typed arrays; every computation is float64. The scatter (Gram) accumulation runs in a WebAssembly
 * SIMD kernel where the runtime has WebAssembly SIMD (`kernel: 'typescript'` forces the reference).
 *
 * ```ts
 * // All at once: spectrum, AUC, RankMe, stable rank, alpha, components, normalised std.
 * const report = collapseMetrics(embeddings, n, d);
 *
 * // Streaming (files larger than memory, data-parallel workers, checkpoints):
 * const acc = createMomentAccumulator({ dim: d });
 * for (const chunk of chunks) acc.add(chunk.rows, chunk.n);
 * acc.merge(otherWorkersAccumulator);
 * const metrics = spectrumMetrics(acc.singularValues());
 * const saved = JSON.stringify(acc); // momentAccumulatorFromState(JSON.parse(saved)) resumes
 * ```
 *
 * Bad input raises {@link CollapseMetricsError} (a `code` plus a message naming the bad value).
 */
export { CollapseMetricsError, describeNonFinite } from './collapse-metrics-error.ts';
export type { CollapseMetricsErrorCode } from './collapse-metrics-error.ts';
export type { Matrix } from './matrix.ts';
export { singularValues, singularValuesOfScatter } from './singular-values.ts';
export type { SpectrumOptions } from './singular-values.ts';
export { symmetricEigenvalues } from './symmetric-eigenvalues.ts';
export { SCATTER_BLOCK_ROWS, addCentredScatter, columnMeans, mirrorUpper, scatterBlock } from './scatter-kernel.ts';
export { SIMD_MAX_DIM, createSimdScatter, resolveScatterKernel } from './simd-scatter.ts';
export { simdModule } from './simd-module.ts';
export type { ResolvedScatter, ScatterFunction, ScatterKernel } from './simd-scatter.ts';
export { singularValuesParallel } from './parallel-scatter.ts';
export { closeScatterWorkers } from './scatter-worker-pool.ts';
export type { ParallelSpectrumOptions } from './parallel-scatter.ts';
export { createParallelMomentAccumulator } from './parallel-moment-accumulator.ts';
export type { ParallelMomentAccumulator, ParallelMomentAccumulatorOptions } from './parallel-moment-accumulator.ts';
export { createMomentAccumulator, momentAccumulatorFromState } from './moment-accumulator.ts';
export type { MomentAccumulator, MomentAccumulatorOptions } from './moment-accumulator.ts';
export { validateMomentAccumulatorState } from './moment-accumulator-state.ts';
export type { MomentAccumulatorState } from './moment-accumulator-state.ts';
export { descendingSpectrum } from './spectrum.ts';
export { componentsForVariance, cumulativeExplainedVariance, spectrumAuc } from './explained-variance.ts';
export { aucFloor, rescaledAuc } from './rescaled-auc.ts';
export { RANKME_EPSILON, rankMe, stableRank } from './effective-rank.ts';
export { ALPHA_REQ_FLOOR, alphaReq } from './alpha-req.ts';
export type { AlphaReqFit } from './alpha-req.ts';
export { normalizedOutputStd } from './normalized-output-std.ts';
export { spectrumMetrics } from './spectrum-metrics.ts';
export type { SpectrumMetrics } from './spectrum-metrics.ts';
export { collapseMetrics } from './collapse-metrics.ts';
export type { CollapseReport } from './collapse-metrics.ts';
