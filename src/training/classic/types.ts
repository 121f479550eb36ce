import type { JsonObject } from '../../core/json.js';
import type { Rng } from '../../core/rng.js';
import type { DenseMatrix } from './dense.js';
import type { CsrMatrix } from './sparse.js';

/** Feature matrix accepted by the feature-based classic models. */
export type FeatureMatrix = DenseMatrix | CsrMatrix;

/**
 * Explicit (user, item, rating) triples, for matrix factorization. Ids are numbers or strings
 * (never the per-batch codes of a dictionary column); the model maps them to dense indices. `ratings` may be
 * omitted for prediction.
 */
export interface RatingsDataset {
  readonly kind: 'ratings';
  readonly users: ArrayLike<number | string>;
  readonly items: ArrayLike<number | string>;
  readonly ratings?: ArrayLike<number>;
}

/** A feature matrix with an optional label per row, for Lasso and logistic regression. */
export interface FeaturesDataset {
  readonly kind: 'features';
  readonly x: FeatureMatrix;
  readonly y?: ArrayLike<number>;
  /** Names of the columns of `x` (optional; used in reports and to check prediction inputs). */
  readonly featureNames?: readonly string[];
}

/**
 * A bag-of-words corpus for LDA: row d of `docs` holds the word counts of document d
 * (column = word id, value = count, a positive integer). `vocab[w]` names word w.
 */
export interface CorpusDataset {
  readonly kind: 'corpus';
  readonly docs: CsrMatrix;
  readonly vocab?: readonly string[];
}

/** What a classic model trains on or predicts for. */
export type ClassicDataset = RatingsDataset | FeaturesDataset | CorpusDataset;

/** The dataset kind each model expects. */
export type ClassicDatasetKind = ClassicDataset['kind'];

/** What policy applies to NaN/Infinity in inputs: fail naming the row, or drop the row. */
export type NanPolicy = 'error' | 'drop';

/** One training epoch's report (iteration for LDA, sweep for Lasso, pass for SGD). */
export interface EpochReport {
  /** 1-based epoch number. */
  readonly epoch: number;
  /** Training (and, with `validation`, `val_*`) metrics after this epoch. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Options shared by every classic model's `fit`. Everything is optional. */
export interface ClassicFitOptions {
  /** Random source (defaults to `new Rng(config.seed)`); fit never touches global randomness. */
  readonly rng?: Rng;
  /**
   * Called after every epoch. Return `false` to stop training early (e.g. a tuning pruner); the
   * model trained so far is returned. Exceptions propagate out of `fit`.
   */
  readonly onEpoch?: (report: EpochReport) => void | boolean;
  /** Data scored after every epoch into `val_*` metrics (e.g. `val_rmse`). */
  readonly validation?: ClassicDataset;
  /** Aborts between epochs with a CANCELLED MortarError. */
  readonly signal?: AbortSignal;
}

/** The serialized form of a trained classic model: JSON-safe, restored with `fromJSON`. */
export interface ClassicModelJson {
  readonly format: 'mortar.classic';
  readonly version: 1;
  readonly kind: string;
  readonly config: JsonObject;
  readonly state: JsonObject;
}

/**
 * A trained classic model.
 *
 * Contract: `predict` and `evaluate` are pure (they never change the model; LDA's fold-in uses the
 * rng it is given); they throw INVALID_ARGUMENT when the dataset has the wrong kind or shape.
 * `toJSON()` returns a JSON-safe value that the kind's `fromJSON` restores to a model whose
 * predictions are identical. Not thread-safe to train concurrently; safe to predict concurrently.
 */
export interface ClassicModel {
  /** The registry kind ("mf", "lasso", "logreg", "lda"). */
  readonly kind: string;
  /** The validated config the model was trained with (defaults filled in). */
  readonly config: JsonObject;
  /**
   * One number per row: predicted rating (mf), regression value (lasso), probability of the
   * positive class (logreg); for lda, document-topic proportions (D x K, row-major).
   */
  predict(data: ClassicDataset): Float64Array;
  /** The model's standard metrics on labelled data (rmse/mae, accuracy/auc/logloss, perplexity). */
  evaluate(data: ClassicDataset): Record<string, number>;
  /** The JSON-safe model (config + learned state). */
  toJSON(): ClassicModelJson;
}

/**
 * One kind of classic model in {@link CLASSIC_MODELS}: how to train it from a dataset and a JSON
 * config, and how to restore a trained one from JSON.
 *
 * Contract: `fit` validates `config` (zod; unknown keys are errors, missing keys take defaults)
 * and the dataset (kind, shapes, NaN policy) before any work, throwing INVALID_CONFIG or
 * INVALID_ARGUMENT / DATA_INVALID that name the parameter or row. Given the same data, config and
 * seed, `fit` returns the same model. `fromJSON` throws DATA_INVALID on a corrupt or foreign
 * document.
 */
export interface ClassicModelKind {
  readonly kind: string;
  /** One line for `--help` listings. */
  readonly description: string;
  /** The dataset kind `fit` and `predict` take. */
  readonly input: ClassicDatasetKind;
  /** The name of the headline test metric (`rmse`, `accuracy`, `perplexity`). */
  readonly primaryMetric: string;
  /** Whether smaller values of `primaryMetric` are better. */
  readonly minimize: boolean;
  /** The config with every default filled in (throws INVALID_CONFIG on a bad one). */
  parseConfig(config?: unknown): JsonObject;
  /** Trains a model. */
  fit(data: ClassicDataset, config?: unknown, options?: ClassicFitOptions): Promise<ClassicModel>;
  /** Restores a model from {@link ClassicModel.toJSON}'s output. */
  fromJSON(json: unknown): ClassicModel;
}
