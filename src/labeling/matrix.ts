import { MortarError } from '../core/errors.js';
import { ABSTAIN } from './types.js';

/**
 * A sparse label matrix: n data points (rows) x m labeling functions (columns), -1 = abstain.
 * Stored in CSR form: the votes of row i are `cols[rowPtr[i]..rowPtr[i+1])` with labels
 * `labels[...]`, columns ascending. Immutable once built.
 *
 * @example
 * const L = LabelMatrix.fromRows([[0, -1, 1], [-1, -1, 1]], ['a', 'b', 'c']);
 * L.get(0, 2); // 1
 */
export class LabelMatrix {
  /** Rows (data points). */
  readonly n: number;
  /** Columns (labeling functions). */
  readonly m: number;
  /** Column names (LF names), length m. */
  readonly lfNames: readonly string[];
  /** Row offsets into `cols`/`labels`, length n + 1. */
  readonly rowPtr: Int32Array;
  /** Column of each stored vote. */
  readonly cols: Int32Array;
  /** Label of each stored vote (>= 0). */
  readonly labels: Int32Array;

  constructor(
    n: number,
    m: number,
    lfNames: readonly string[],
    rowPtr: Int32Array,
    cols: Int32Array,
    labels: Int32Array,
  ) {
    if (lfNames.length !== m) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `LabelMatrix: ${lfNames.length} LF names for ${m} columns`,
      );
    }
    if (rowPtr.length !== n + 1 || rowPtr[n] !== cols.length || cols.length !== labels.length) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        'LabelMatrix: rowPtr/cols/labels sizes do not match',
      );
    }
    this.n = n;
    this.m = m;
    this.lfNames = Object.freeze([...lfNames]);
    this.rowPtr = rowPtr;
    this.cols = cols;
    this.labels = labels;
  }

  /** Number of stored (non-abstain) votes. */
  get nnz(): number {
    return this.cols.length;
  }

  /** The vote of LF `j` on row `i` (-1 = abstain). */
  get(i: number, j: number): number {
    const end = this.rowPtr[i + 1]!;
    for (let p = this.rowPtr[i]!; p < end; p++) {
      const c = this.cols[p]!;
      if (c === j) return this.labels[p]!;
      if (c > j) break;
    }
    return ABSTAIN;
  }

  /** The largest label + 1 (0 for an empty matrix): the smallest cardinality that fits. */
  minCardinality(): number {
    let k = 0;
    for (let p = 0; p < this.labels.length; p++) if (this.labels[p]! >= k) k = this.labels[p]! + 1;
    return k;
  }

  /** Dense row-major n x m copy (-1 = abstain). */
  toDense(): Int32Array {
    const out = new Int32Array(this.n * this.m).fill(ABSTAIN);
    for (let i = 0; i < this.n; i++) {
      for (let p = this.rowPtr[i]!; p < this.rowPtr[i + 1]!; p++)
        out[i * this.m + this.cols[p]!] = this.labels[p]!;
    }
    return out;
  }

  /** Rows as arrays (for small matrices and tests). */
  toRows(): number[][] {
    const d = this.toDense();
    const rows: number[][] = [];
    for (let i = 0; i < this.n; i++)
      rows.push(Array.from(d.subarray(i * this.m, (i + 1) * this.m)));
    return rows;
  }

  /** The rows at `indices`, in that order. */
  take(indices: ArrayLike<number>): LabelMatrix {
    const b = new LabelMatrixBuilder(this.lfNames);
    for (let t = 0; t < indices.length; t++) {
      const i = indices[t]!;
      b.pushSparse(
        this.cols.subarray(this.rowPtr[i]!, this.rowPtr[i + 1]!),
        this.labels.subarray(this.rowPtr[i]!, this.rowPtr[i + 1]!),
      );
    }
    return b.build();
  }

  /** Only the LFs at `columns` (in that order). */
  selectColumns(columns: readonly number[]): LabelMatrix {
    const map = new Int32Array(this.m).fill(-1);
    columns.forEach((c, j) => (map[c] = j));
    const b = new LabelMatrixBuilder(columns.map((c) => this.lfNames[c]!));
    const row = new Int32Array(columns.length);
    for (let i = 0; i < this.n; i++) {
      row.fill(ABSTAIN);
      for (let p = this.rowPtr[i]!; p < this.rowPtr[i + 1]!; p++) {
        const j = map[this.cols[p]!]!;
        if (j >= 0) row[j] = this.labels[p]!;
      }
      b.pushDense(row);
    }
    return b.build();
  }

  /**
   * Builds a matrix from dense rows (-1 = abstain).
   * @throws DATA_INVALID naming the row and column of a wrong-width row or a non-integer / < -1 value.
   */
  static fromRows(rows: readonly (readonly number[])[], lfNames?: readonly string[]): LabelMatrix {
    const m = lfNames?.length ?? rows[0]?.length ?? 0;
    const b = new LabelMatrixBuilder(lfNames ?? defaultLfNames(m));
    rows.forEach((r, i) => {
      if (r.length !== m) {
        throw new MortarError(
          'DATA_INVALID',
          `label matrix row ${i}: expected ${m} values (one per LF), found ${r.length}`,
          {
            details: { row: i, expected: m, found: r.length },
          },
        );
      }
      b.pushDense(r, i);
    });
    return b.build();
  }

  /** Builds a matrix from a dense row-major Int32Array of n x m votes. */
  static fromDense(dense: Int32Array, m: number, lfNames?: readonly string[]): LabelMatrix {
    const b = new LabelMatrixBuilder(lfNames ?? defaultLfNames(m));
    for (let i = 0; i * m < dense.length; i++) b.pushDense(dense.subarray(i * m, (i + 1) * m), i);
    return b.build();
  }

  /** Concatenates matrices with the same LFs, rows in order. */
  static concat(parts: readonly LabelMatrix[]): LabelMatrix {
    const first = parts[0];
    if (!first)
      return new LabelMatrix(0, 0, [], new Int32Array(1), new Int32Array(0), new Int32Array(0));
    const b = new LabelMatrixBuilder(first.lfNames);
    for (const L of parts) {
      if (L.m !== first.m)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `LabelMatrix.concat: ${L.m} columns, expected ${first.m}`,
        );
      for (let i = 0; i < L.n; i++) {
        b.pushSparse(
          L.cols.subarray(L.rowPtr[i]!, L.rowPtr[i + 1]!),
          L.labels.subarray(L.rowPtr[i]!, L.rowPtr[i + 1]!),
        );
      }
    }
    return b.build();
  }
}

/** `lf_0`, `lf_1`, ... */
export function defaultLfNames(m: number): string[] {
  return Array.from({ length: m }, (_, j) => `lf_${j}`);
}

/** Builds a {@link LabelMatrix} row by row with growing typed arrays. */
export class LabelMatrixBuilder {
  private rowPtr = new Int32Array(1024);
  private cols = new Int32Array(4096);
  private labels = new Int32Array(4096);
  private n = 0;
  private nnz = 0;
  readonly m: number;

  constructor(readonly lfNames: readonly string[]) {
    this.m = lfNames.length;
  }

  /** Rows pushed so far. */
  get rows(): number {
    return this.n;
  }

  private grow(extra: number): void {
    if (this.nnz + extra > this.cols.length) {
      const size = Math.max(this.cols.length * 2, this.nnz + extra);
      const c = new Int32Array(size);
      c.set(this.cols.subarray(0, this.nnz));
      const l = new Int32Array(size);
      l.set(this.labels.subarray(0, this.nnz));
      this.cols = c;
      this.labels = l;
    }
    if (this.n + 2 > this.rowPtr.length) {
      const r = new Int32Array(this.rowPtr.length * 2);
      r.set(this.rowPtr);
      this.rowPtr = r;
    }
  }

  /** Appends one dense row of m votes (-1 = abstain). `rowIndex` only names the row in errors. */
  pushDense(row: ArrayLike<number>, rowIndex = this.n): void {
    this.grow(this.m);
    for (let j = 0; j < this.m; j++) {
      const v = row[j]!;
      if (v === ABSTAIN) continue;
      if (!Number.isInteger(v) || v < 0) {
        throw new MortarError(
          'DATA_INVALID',
          `label matrix row ${rowIndex}, column ${j} (${this.lfNames[j]}): ${v} is not a label (an integer >= 0, or -1 = abstain)`,
          { details: { row: rowIndex, column: j, lf: this.lfNames[j], value: v } },
        );
      }
      this.cols[this.nnz] = j;
      this.labels[this.nnz++] = v;
    }
    this.rowPtr[++this.n] = this.nnz;
  }

  /** Appends one row given as ascending columns and their labels. */
  pushSparse(cols: ArrayLike<number>, labels: ArrayLike<number>): void {
    this.grow(cols.length);
    for (let p = 0; p < cols.length; p++) {
      this.cols[this.nnz] = cols[p]!;
      this.labels[this.nnz++] = labels[p]!;
    }
    this.rowPtr[++this.n] = this.nnz;
  }

  /** The finished matrix (the builder may keep growing afterwards; the matrix is a copy). */
  build(): LabelMatrix {
    return new LabelMatrix(
      this.n,
      this.m,
      this.lfNames,
      this.rowPtr.slice(0, this.n + 1),
      this.cols.slice(0, this.nnz),
      this.labels.slice(0, this.nnz),
    );
  }
}

/**
 * Checks that every vote of `L` is < `cardinality`.
 * @throws DATA_INVALID naming the first row and LF with an out-of-range label.
 */
export function checkCardinality(
  L: LabelMatrix,
  cardinality: number,
  source = 'label matrix',
): void {
  if (!Number.isInteger(cardinality) || cardinality < 2) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `cardinality must be an integer >= 2, got ${cardinality}`,
    );
  }
  for (let i = 0; i < L.n; i++) {
    for (let p = L.rowPtr[i]!; p < L.rowPtr[i + 1]!; p++) {
      if (L.labels[p]! >= cardinality) {
        const lf = L.lfNames[L.cols[p]!];
        throw new MortarError(
          'DATA_INVALID',
          `${source}, row ${i}, LF "${lf}": label ${L.labels[p]} is outside the label set 0..${cardinality - 1}; pass the right number of classes (--classes)`,
          { details: { row: i, lf, value: L.labels[p], cardinality } },
        );
      }
    }
  }
}
