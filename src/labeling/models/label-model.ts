import type { JsonObject } from '../../core/json.js';
import type { LabelMatrix } from '../matrix.js';

/** How a probabilistic label becomes a hard one when classes tie (within 1e-9). */
export type TiePolicy = 'abstain' | 'random' | 'prior' | 'lowest';

/** Options of {@link LabelModel.fit}. */
export interface FitOptions {
  /** Number of classes (default: the model's config, else the largest vote + 1, at least 2). */
  readonly cardinality?: number;
  /**
   * Class balance P(Y = y): given as k probabilities (summing to 1), `'uniform'`, or
   * `'estimate'` (learned from L). Default: each model's own (documented on the model).
   */
  readonly classBalance?: readonly number[] | 'uniform' | 'estimate';
  /** Pairs of LF column indices the user declares correlated (models with `supportsCorrelations`). */
  readonly correlations?: readonly (readonly [number, number])[];
  /** Seed for any randomness (initialisation); default the model's config seed. */
  readonly seed?: number;
}

/** Everything needed to rebuild a fitted model (JSON-safe). */
export interface LabelModelState extends JsonObject {
  readonly kind: string;
  readonly config: JsonObject;
  readonly cardinality: number;
  readonly lfNames: string[];
  readonly classBalance: number[];
  readonly params: JsonObject;
}

/**
 * A label model: learns how accurate (and, where supported, how correlated) the LFs are from the
 * label matrix alone, and turns votes into probabilistic labels.
 *
 * **Call order.** `fit(L)` first (again to refit; each fit replaces the previous state), then any
 * number of `predictProba(L')` on matrices with the same LF columns. `toJSON()` after `fit`
 * captures the fitted state; `labelModels.restore(state)` rebuilds an equal model.
 *
 * **Outputs.** `predictProba` returns n x k row-major probabilities; every row sums to 1 and a row
 * without votes gets the class balance. Deterministic for a given seed.
 *
 * **Errors.** `predictProba` before `fit` is FAILED_PRECONDITION; a matrix with another width is
 * INVALID_ARGUMENT naming both widths; votes outside 0..k-1 are DATA_INVALID naming row and LF; a
 * class balance of the wrong length or not summing to 1 is INVALID_ARGUMENT; correlations given
 * to a model without `supportsCorrelations` are UNSUPPORTED.
 *
 * **Thread safety.** Not safe to fit concurrently; a fitted model may be shared for prediction.
 */
export interface LabelModel {
  /** Stable registry name (`majority`, `matrix-completion`, `triplet`, `dawid-skene`). */
  readonly kind: string;
  /** Whether `fit` accepts `correlations`. */
  readonly supportsCorrelations: boolean;
  /** How `predictLabels` breaks ties for this model. */
  readonly tiePolicy: TiePolicy;
  /** Classes after fit (0 before). */
  readonly cardinality: number;
  /** The class balance used by the fitted model. */
  readonly classBalance: readonly number[];
  fit(L: LabelMatrix, opts?: FitOptions): this;
  predictProba(L: LabelMatrix): Float64Array;
  toJSON(): LabelModelState;
}
