/** A CSR sparse matrix as plain arrays (rows x cols, row r's entries at indptr[r]..indptr[r+1]). */
export interface SparseRows {
  readonly rows: number;
  readonly cols: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array | Float64Array;
}

/**
 * One SGD pass of L2-regularised logistic regression over rows `order[start:end]`, updating `w`
 * in place (w[cols] is the bias). Only the coordinates of each row are touched (their share of
 * the L2 penalty included), which is what makes lock-free Hogwild updates from several threads
 * on one shared `w` collide rarely on sparse data. Returns the summed log-loss before each
 * update. Pure arithmetic on typed arrays: runs the same on the main thread and in workers.
 */
export function logregSgdPass(
  w: Float32Array,
  x: SparseRows,
  y: ArrayLike<number>,
  order: Int32Array,
  start: number,
  end: number,
  lr: number,
  l2: number,
): number {
  const { indptr, indices, values, cols } = x;
  let loss = 0;
  for (let k = start; k < end; k++) {
    const r = order[k] as number;
    const a = indptr[r] as number;
    const b = indptr[r + 1] as number;
    let z = w[cols] as number;
    for (let p = a; p < b; p++) z += (w[indices[p] as number] as number) * (values[p] as number);
    const t = y[r] as number;
    // log(1 + e^-|z|) + max(z, 0) - t z, stable for both signs
    loss += Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - t * z;
    const g = 1 / (1 + Math.exp(-z)) - t;
    for (let p = a; p < b; p++) {
      const j = indices[p] as number;
      const wj = w[j] as number;
      w[j] = wj - lr * (g * (values[p] as number) + l2 * wj);
    }
    w[cols] = (w[cols] as number) - lr * g;
  }
  return loss;
}

/** P(y = 1) per row for weights `w` (w[cols] is the bias). */
export function logregPredict(w: Float32Array, x: SparseRows): Float64Array {
  const out = new Float64Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let z = w[x.cols] as number;
    for (let p = x.indptr[r] as number; p < (x.indptr[r + 1] as number); p++) {
      z += (w[x.indices[p] as number] as number) * (x.values[p] as number);
    }
    out[r] = 1 / (1 + Math.exp(-z));
  }
  return out;
}
