import { MortarError } from '../../core/errors.js';
import { expectKind, expectLength } from './check.js';
import { DenseMatrix } from './dense.js';
import { applyNanPolicy, keepRows, nonFiniteRows, pick, selectRows } from './nan.js';
import { CsrMatrix } from './sparse.js';
import type { ClassicDataset, FeatureMatrix, NanPolicy } from './types.js';

/** A validated training set: finite features and labels of matching length. */
export interface CleanFeatures {
  readonly x: FeatureMatrix;
  readonly y: Float64Array;
  /** Rows dropped under the `drop` NaN policy (ids in the input). */
  readonly dropped: number;
}

/**
 * Checks a features dataset for training: the right kind, labels present and as many as rows,
 * at least one row; applies the NaN policy (error names the first bad row; drop removes rows).
 */
export function cleanTrainingFeatures(
  model: string,
  data: ClassicDataset,
  nan: NanPolicy,
): CleanFeatures {
  expectKind(model, data, 'features');
  checkMatrix(model, data.x);
  if (!data.y) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${model} fit: the dataset has no labels (y); name the label column`,
      {
        details: { model },
      },
    );
  }
  expectLength('labels (y)', data.y.length, data.x.rows, 'the feature matrix (rows)');
  const bad = nonFiniteRows(data.x, data.y);
  applyNanPolicy(model, bad, nan, data.x.rows);
  let x = data.x;
  let y: Float64Array = Float64Array.from(data.y);
  if (bad.length > 0) {
    const keep = keepRows(x.rows, bad);
    x = selectRows(x, keep);
    y = pick(y, keep);
  }
  if (x.rows === 0) throw new MortarError('INVALID_ARGUMENT', `${model} fit: no rows to train on`);
  return { x, y, dropped: bad.length };
}

/** Checks a features dataset for prediction against the trained width; NaN is an error here. */
export function checkPredictFeatures(
  model: string,
  data: ClassicDataset,
  cols: number,
): FeatureMatrix {
  expectKind(model, data, 'features');
  checkMatrix(model, data.x);
  if (data.x.cols !== cols) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${model}: the feature matrix has ${data.x.cols} columns but the model was trained on ${cols}`,
      { details: { model, columns: data.x.cols, expected: cols } },
    );
  }
  const bad = nonFiniteRows(data.x);
  if (bad.length > 0) {
    throw new MortarError(
      'DATA_INVALID',
      `${model}: ${bad.length} rows hold NaN or infinite features (first: row ${bad[0]}); drop or impute them before predicting`,
      { details: { model, rows: bad.slice(0, 20) } },
    );
  }
  return data.x;
}

function checkMatrix(model: string, x: unknown): void {
  if (!(x instanceof CsrMatrix) && !(x instanceof DenseMatrix)) {
    throw new MortarError('INVALID_ARGUMENT', `${model}: x must be a DenseMatrix or CsrMatrix`);
  }
}

/** x w + b for a dense or CSR matrix. */
export function linearScores(x: FeatureMatrix, w: Float64Array, b: number): Float64Array {
  const out = new Float64Array(x.rows);
  if (x instanceof CsrMatrix) {
    const { indptr, indices, values } = x;
    for (let r = 0; r < x.rows; r++) {
      let s = b;
      for (let k = indptr[r]!, e = indptr[r + 1]!; k < e; k++) s += values[k]! * w[indices[k]!]!;
      out[r] = s;
    }
  } else {
    const { data, cols } = x;
    for (let r = 0; r < x.rows; r++) {
      let s = b;
      for (let c = 0, o = r * cols; c < cols; c++) s += data[o + c]! * w[c]!;
      out[r] = s;
    }
  }
  return out;
}

/** The two distinct label values of a binary label vector, ascending, or null if not binary. */
export function binaryClasses(y: ArrayLike<number>): [number, number] | null {
  let a = NaN;
  let b = NaN;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    if (Number.isNaN(a) || v === a) a = v;
    else if (Number.isNaN(b) || v === b) b = v;
    else return null;
  }
  if (Number.isNaN(b)) return null;
  return a < b ? [a, b] : [b, a];
}
