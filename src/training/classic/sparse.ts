import { MortarError } from '../../core/errors.js';

/**
 * A compressed-sparse-row matrix of float64 values: row `r` holds the entries
 * `indices[indptr[r] .. indptr[r+1])` (column ids, sorted ascending, no duplicates) with `values`
 * at the same positions. Immutable by convention: methods return new matrices.
 *
 * @example
 * const m = CsrMatrix.fromTriplets(2, 3, [0, 1], [2, 0], [1.5, -1]);
 * m.matvec(new Float64Array([1, 1, 1])); // Float64Array [1.5, -1]
 */
export class CsrMatrix {
  /**
   * Wraps existing arrays after checking their shapes (`indptr.length === rows + 1`, monotone,
   * column ids in range). Use {@link CsrMatrix.fromTriplets} to build from unordered entries.
   */
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly indptr: Int32Array,
    readonly indices: Int32Array,
    readonly values: Float64Array,
  ) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new MortarError('INVALID_ARGUMENT', `CsrMatrix: bad shape ${rows}x${cols}`);
    }
    if (indptr.length !== rows + 1) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix: indptr has ${indptr.length} entries, expected rows + 1 = ${rows + 1}`,
      );
    }
    const nnz = indptr[rows]!;
    if (indptr[0] !== 0 || indices.length < nnz || values.length < nnz) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix: indptr must start at 0 and end at nnz <= indices.length (${indices.length}) and values.length (${values.length}); got ${indptr[0]}..${nnz}`,
      );
    }
    for (let r = 0; r < rows; r++) {
      if (indptr[r + 1]! < indptr[r]!) {
        throw new MortarError('INVALID_ARGUMENT', `CsrMatrix: indptr decreases at row ${r}`);
      }
    }
    for (let k = 0; k < nnz; k++) {
      const c = indices[k]!;
      if (c < 0 || c >= cols) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `CsrMatrix: column index ${c} at entry ${k} is outside 0..${cols - 1}`,
        );
      }
    }
  }

  /** Number of stored entries. */
  get nnz(): number {
    return this.indptr[this.rows]!;
  }

  /**
   * Builds a matrix from (row, col, value) triplets in any order; duplicates are summed.
   */
  static fromTriplets(
    rows: number,
    cols: number,
    rowIds: ArrayLike<number>,
    colIds: ArrayLike<number>,
    vals: ArrayLike<number>,
  ): CsrMatrix {
    const n = rowIds.length;
    if (colIds.length !== n || vals.length !== n) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix.fromTriplets: rows/cols/values lengths differ (${n}, ${colIds.length}, ${vals.length})`,
      );
    }
    const counts = new Int32Array(rows + 1);
    for (let k = 0; k < n; k++) {
      const r = rowIds[k]!;
      if (!Number.isInteger(r) || r < 0 || r >= rows) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `CsrMatrix.fromTriplets: row id ${r} at entry ${k} is outside 0..${rows - 1}`,
        );
      }
      counts[r + 1]!++;
    }
    for (let r = 0; r < rows; r++) counts[r + 1]! += counts[r]!;
    const pos = counts.slice(0, rows);
    const idx = new Int32Array(n);
    const val = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const p = pos[rowIds[k]!]!++;
      idx[p] = colIds[k]!;
      val[p] = vals[k]!;
    }
    return sortAndDedupe(rows, cols, counts, idx, val);
  }

  /** Builds a CSR matrix from a dense row-major array, keeping the non-zero entries. */
  static fromDense(rows: number, cols: number, data: ArrayLike<number>): CsrMatrix {
    if (data.length !== rows * cols) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix.fromDense: ${data.length} values for a ${rows}x${cols} matrix`,
      );
    }
    const r: number[] = [];
    const c: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const x = data[i * cols + j]!;
        if (x !== 0) {
          r.push(i);
          c.push(j);
          v.push(x);
        }
      }
    }
    return CsrMatrix.fromTriplets(rows, cols, r, c, v);
  }

  /** The dense row-major copy (rows * cols float64). */
  toDense(): Float64Array {
    const out = new Float64Array(this.rows * this.cols);
    for (let r = 0; r < this.rows; r++) {
      for (let k = this.indptr[r]!; k < this.indptr[r + 1]!; k++) {
        out[r * this.cols + this.indices[k]!] = this.values[k]!;
      }
    }
    return out;
  }

  /** y = A x (x has `cols` entries). */
  matvec(x: ArrayLike<number>, out = new Float64Array(this.rows)): Float64Array {
    if (x.length !== this.cols) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix.matvec: vector has ${x.length} entries, matrix has ${this.cols} columns`,
      );
    }
    const { indptr, indices, values } = this;
    for (let r = 0; r < this.rows; r++) {
      let s = 0;
      for (let k = indptr[r]!, e = indptr[r + 1]!; k < e; k++) s += values[k]! * x[indices[k]!]!;
      out[r] = s;
    }
    return out;
  }

  /** y = A^T x (x has `rows` entries). */
  transposeMatvec(x: ArrayLike<number>, out = new Float64Array(this.cols)): Float64Array {
    if (x.length !== this.rows) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `CsrMatrix.transposeMatvec: vector has ${x.length} entries, matrix has ${this.rows} rows`,
      );
    }
    out.fill(0);
    const { indptr, indices, values } = this;
    for (let r = 0; r < this.rows; r++) {
      const xr = x[r]!;
      if (xr === 0) continue;
      for (let k = indptr[r]!, e = indptr[r + 1]!; k < e; k++) out[indices[k]!]! += values[k]! * xr;
    }
    return out;
  }

  /** The transpose, also in CSR form (equivalently: this matrix in CSC form). */
  transpose(): CsrMatrix {
    const { rows, cols, indptr, indices, values } = this;
    const nnz = this.nnz;
    const counts = new Int32Array(cols + 1);
    for (let k = 0; k < nnz; k++) counts[indices[k]! + 1]!++;
    for (let c = 0; c < cols; c++) counts[c + 1]! += counts[c]!;
    const pos = counts.slice(0, cols);
    const idx = new Int32Array(nnz);
    const val = new Float64Array(nnz);
    for (let r = 0; r < rows; r++) {
      for (let k = indptr[r]!, e = indptr[r + 1]!; k < e; k++) {
        const p = pos[indices[k]!]!++;
        idx[p] = r;
        val[p] = values[k]!;
      }
    }
    return new CsrMatrix(cols, rows, counts, idx, val);
  }

  /** The rows at `ids`, in that order (a row may repeat). */
  selectRows(ids: ArrayLike<number>): CsrMatrix {
    const m = ids.length;
    const ptr = new Int32Array(m + 1);
    for (let i = 0; i < m; i++) {
      const r = ids[i]!;
      if (!Number.isInteger(r) || r < 0 || r >= this.rows) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `CsrMatrix.selectRows: row ${r} is outside 0..${this.rows - 1}`,
        );
      }
      ptr[i + 1] = ptr[i]! + this.indptr[r + 1]! - this.indptr[r]!;
    }
    const idx = new Int32Array(ptr[m]!);
    const val = new Float64Array(ptr[m]!);
    for (let i = 0; i < m; i++) {
      const r = ids[i]!;
      const s = this.indptr[r]!;
      const e = this.indptr[r + 1]!;
      idx.set(this.indices.subarray(s, e), ptr[i]!);
      val.set(this.values.subarray(s, e), ptr[i]!);
    }
    return new CsrMatrix(m, this.cols, ptr, idx, val);
  }

  /** The same entries with `cols` widened (e.g. to align a test file with fewer features). */
  withCols(cols: number): CsrMatrix {
    return new CsrMatrix(this.rows, cols, this.indptr, this.indices, this.values);
  }
}

function sortAndDedupe(
  rows: number,
  cols: number,
  ptr: Int32Array,
  idx: Int32Array,
  val: Float64Array,
): CsrMatrix {
  const outPtr = new Int32Array(rows + 1);
  let w = 0;
  const order: number[] = [];
  for (let r = 0; r < rows; r++) {
    const s = ptr[r]!;
    const e = ptr[r + 1]!;
    let sorted = true;
    for (let k = s + 1; k < e; k++) {
      if (idx[k]! <= idx[k - 1]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      for (let k = s; k < e; k++) {
        idx[w] = idx[k]!;
        val[w++] = val[k]!;
      }
    } else {
      order.length = 0;
      for (let k = s; k < e; k++) order.push(k);
      order.sort((a, b) => idx[a]! - idx[b]! || a - b);
      const ci: number[] = order.map((k) => idx[k]!);
      const cv: number[] = order.map((k) => val[k]!);
      for (let t = 0; t < ci.length; t++) {
        if (t > 0 && ci[t] === ci[t - 1]) {
          val[w - 1]! += cv[t]!;
        } else {
          idx[w] = ci[t]!;
          val[w++] = cv[t]!;
        }
      }
    }
    outPtr[r + 1] = w;
  }
  return new CsrMatrix(rows, cols, outPtr, idx.slice(0, w), val.slice(0, w));
}
