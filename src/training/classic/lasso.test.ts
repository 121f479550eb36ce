import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { DenseMatrix } from './dense.js';
import { type LassoModel, lasso } from './lasso.js';
import { CsrMatrix } from './sparse.js';

// y = X w* + noise with a 5-sparse w* among 40 features
function synthetic(n: number, seed: number) {
  const rng = new Rng(seed);
  const p = 40;
  const wTrue = new Float64Array(p);
  wTrue[3] = 2;
  wTrue[7] = -3;
  wTrue[11] = 1.5;
  wTrue[20] = -1;
  wTrue[33] = 4;
  const x = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.5;
    for (let j = 0; j < p; j++) {
      // about half the entries are zero, so the CSR form is really sparse
      const v = rng.float() < 0.5 ? 0 : rng.normal();
      x[i * p + j] = v;
      s += v * wTrue[j]!;
    }
    y[i] = s + 0.1 * rng.normal();
  }
  return { x: new DenseMatrix(n, p, x), y, wTrue };
}

describe('Lasso by coordinate descent', () => {
  const { x, y, wTrue } = synthetic(400, 1);

  it('recovers a known sparse coefficient vector (support and values)', async () => {
    const m = (await lasso.fit({ kind: 'features', x, y }, { alpha: 0.05 })) as LassoModel;
    const support = Array.from(m.coef.keys()).filter((j) => m.coef[j] !== 0);
    expect(support).toEqual([3, 7, 11, 20, 33]);
    for (const j of support) expect(Math.abs(m.coef[j]! - wTrue[j]!)).toBeLessThan(0.15); // shrinkage alpha / var(x_j) ~ 0.1
    expect(m.intercept).toBeCloseTo(0.5, 1);
  });

  it('gives the same solution on dense and CSR input', async () => {
    const sx = CsrMatrix.fromDense(x.rows, x.cols, x.data);
    const d = (await lasso.fit(
      { kind: 'features', x, y },
      { alpha: 0.05, tol: 1e-8 },
    )) as LassoModel;
    const s = (await lasso.fit(
      { kind: 'features', x: sx, y },
      { alpha: 0.05, tol: 1e-8 },
    )) as LassoModel;
    for (let j = 0; j < x.cols; j++) expect(s.coef[j]).toBeCloseTo(d.coef[j]!, 8);
    expect(s.intercept).toBeCloseTo(d.intercept, 8);
  });

  it('walks a regularization path from all-zero to the target alpha', async () => {
    const m = (await lasso.fit(
      { kind: 'features', x, y },
      { alpha: 0.05, pathLength: 10 },
    )) as LassoModel;
    const path = m.path!;
    expect(path.alphas.length).toBe(10);
    expect(path.alphas[9]).toBeCloseTo(0.05, 12);
    const nnz = Array.from({ length: 10 }, (_, k) => m.atPathIndex(k).nnz);
    expect(nnz[0]).toBe(0); // alpha_max zeroes everything
    expect(nnz[9]).toBe(5);
    for (let k = 1; k < 10; k++) expect(nnz[k]).toBeGreaterThanOrEqual(nnz[k - 1]! - 1);
  });

  it('applies the NaN policy: error names the row, drop trains without it', async () => {
    const bad = Float64Array.from(y);
    bad[17] = NaN;
    await expect(lasso.fit({ kind: 'features', x, y: bad }, {})).rejects.toThrow(
      /first: row 17.*"nan": "drop"/,
    );
    const m = await lasso.fit({ kind: 'features', x, y: bad }, { nan: 'drop', alpha: 0.01 });
    expect(m.evaluate({ kind: 'features', x, y }).rmse).toBeLessThan(0.2);
  });

  it('rejects mismatched shapes', async () => {
    await expect(lasso.fit({ kind: 'features', x, y: y.subarray(1) }, {})).rejects.toThrow(
      /labels \(y\) has 399 entries but the feature matrix \(rows\) has 400/,
    );
    const m = await lasso.fit({ kind: 'features', x, y }, { alpha: 0.1 });
    expect(() =>
      m.predict({ kind: 'features', x: new DenseMatrix(1, 3, new Float64Array(3)) }),
    ).toThrow(/3 columns but the model was trained on 40/);
  });
});
