import { describe, expect, it } from 'vitest';
import { CsrMatrix } from './sparse.js';

describe('CsrMatrix', () => {
  // [[0, 2, 0], [1, 0, 3]] built from unordered triplets with a duplicate (1,2): 1 + 2
  const m = CsrMatrix.fromTriplets(2, 3, [1, 0, 1, 1], [2, 1, 0, 2], [1, 2, 1, 2]);

  it('sorts, sums duplicates and converts to dense', () => {
    expect(Array.from(m.indptr)).toEqual([0, 1, 3]);
    expect(Array.from(m.indices)).toEqual([1, 0, 2]);
    expect(Array.from(m.toDense())).toEqual([0, 2, 0, 1, 0, 3]);
    expect(CsrMatrix.fromDense(2, 3, m.toDense()).toDense()).toEqual(m.toDense());
  });

  it('multiplies by vectors and transposes', () => {
    expect(Array.from(m.matvec([1, 10, 100]))).toEqual([20, 301]);
    expect(Array.from(m.transposeMatvec([1, 10]))).toEqual([10, 2, 30]);
    const t = m.transpose();
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.toDense())).toEqual([0, 1, 2, 0, 0, 3]);
  });

  it('selects rows (with repeats) and widens columns', () => {
    const s = m.selectRows([1, 1, 0]);
    expect(Array.from(s.toDense())).toEqual([1, 0, 3, 1, 0, 3, 0, 2, 0]);
    expect(m.withCols(5).toDense().length).toBe(10);
  });

  it('rejects bad shapes naming the problem', () => {
    expect(
      () => new CsrMatrix(2, 2, new Int32Array([0, 1]), new Int32Array(1), new Float64Array(1)),
    ).toThrow(/indptr has 2 entries/);
    expect(
      () => new CsrMatrix(1, 2, new Int32Array([0, 1]), new Int32Array([5]), new Float64Array(1)),
    ).toThrow(/column index 5/);
    expect(() => CsrMatrix.fromTriplets(1, 1, [2], [0], [1])).toThrow(/row id 2/);
    expect(() => m.matvec([1, 2])).toThrow(/2 entries, matrix has 3 columns/);
  });
});
