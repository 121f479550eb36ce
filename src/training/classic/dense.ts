import { MortarError } from '../../core/errors.js';

/**
 * A dense row-major float64 matrix: entry (r, c) is `data[r * cols + c]`.
 *
 * @example
 * const x = new DenseMatrix(2, 2, new Float64Array([1, 2, 3, 4]));
 * x.get(1, 0); // 3
 */
export class DenseMatrix {
  /** Checks that `data` holds exactly `rows * cols` values. */
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array,
  ) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new MortarError('INVALID_ARGUMENT', `DenseMatrix: bad shape ${rows}x${cols}`);
    }
    if (data.length !== rows * cols) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `DenseMatrix: ${data.length} values for a ${rows}x${cols} matrix (expected ${rows * cols})`,
      );
    }
  }

  /** Builds a matrix from an array of equal-length rows. */
  static fromRows(rows: readonly (readonly number[])[]): DenseMatrix {
    const cols = rows[0]?.length ?? 0;
    const data = new Float64Array(rows.length * cols);
    rows.forEach((row, r) => {
      if (row.length !== cols) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `DenseMatrix.fromRows: row ${r} has ${row.length} values, row 0 has ${cols}`,
        );
      }
      data.set(row, r * cols);
    });
    return new DenseMatrix(rows.length, cols, data);
  }

  /** Entry (r, c). */
  get(r: number, c: number): number {
    return this.data[r * this.cols + c]!;
  }

  /** The rows at `ids`, in that order. */
  selectRows(ids: ArrayLike<number>): DenseMatrix {
    const out = new Float64Array(ids.length * this.cols);
    for (let i = 0; i < ids.length; i++) {
      const r = ids[i]!;
      out.set(this.data.subarray(r * this.cols, (r + 1) * this.cols), i * this.cols);
    }
    return new DenseMatrix(ids.length, this.cols, out);
  }
}
