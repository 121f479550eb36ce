/**
 * The coordinate-descent core of Lasso: minimizes
 * `(1/(2n)) ||y - X w - b||² + α ||w||₁` (scikit-learn's objective) with an unpenalized
 * intercept, by cycling over coordinates with soft-thresholding. The intercept is handled by
 * centering X and y implicitly, so sparse columns stay sparse: the residual kept is
 * `r = y - ȳ - X w` and centered dot products are `x_jᵀ r - m_j Σr`. Convergence: scikit-learn's
 * rule (largest coordinate change below `tol · max|w|`, then a duality gap below `tol · ||ỹ||²`).
 */
import { DenseMatrix } from './dense.js';
import type { CsrMatrix } from './sparse.js';
import type { FeatureMatrix } from './types.js';

/** Column access prepared once per fit: CSC for sparse input, column-major for dense. */
export interface Columns {
  readonly n: number;
  readonly p: number;
  /** CSC arrays (sparse) — `ptr` has p + 1 entries. */
  readonly ptr: Int32Array | null;
  readonly idx: Int32Array | null;
  /** Values: CSC values (sparse) or column-major n x p (dense). */
  readonly val: Float64Array;
  /** Column means m_j. */
  readonly mean: Float64Array;
  /** Centered squared norms divided by n: (||x_j||² - n m_j²) / n. */
  readonly z: Float64Array;
}

/** Prepares the column view of `x`. */
export function toColumns(x: FeatureMatrix): Columns {
  const n = x.rows;
  const p = x.cols;
  const mean = new Float64Array(p);
  const z = new Float64Array(p);
  if (x instanceof DenseMatrix) {
    const val = new Float64Array(n * p);
    for (let r = 0; r < n; r++) for (let c = 0; c < p; c++) val[c * n + r] = x.data[r * p + c]!;
    for (let c = 0; c < p; c++) {
      let s = 0;
      let s2 = 0;
      for (let r = 0, o = c * n; r < n; r++) {
        const v = val[o + r]!;
        s += v;
        s2 += v * v;
      }
      mean[c] = s / n;
      z[c] = Math.max(0, (s2 - (s * s) / n) / n);
    }
    return { n, p, ptr: null, idx: null, val, mean, z };
  }
  const t = (x as CsrMatrix).transpose();
  for (let c = 0; c < p; c++) {
    let s = 0;
    let s2 = 0;
    for (let k = t.indptr[c]!; k < t.indptr[c + 1]!; k++) {
      const v = t.values[k]!;
      s += v;
      s2 += v * v;
    }
    mean[c] = s / n;
    z[c] = Math.max(0, (s2 - (s * s) / n) / n);
  }
  return { n, p, ptr: t.indptr, idx: t.indices, val: t.values, mean, z };
}

/** x_jᵀ v over column j. */
function colDot(cols: Columns, j: number, v: Float64Array): number {
  let s = 0;
  if (cols.ptr) {
    const idx = cols.idx!;
    for (let k = cols.ptr[j]!, e = cols.ptr[j + 1]!; k < e; k++) s += cols.val[k]! * v[idx[k]!]!;
  } else {
    const o = j * cols.n;
    for (let r = 0; r < cols.n; r++) s += cols.val[o + r]! * v[r]!;
  }
  return s;
}

/** v -= δ x_j; returns δ Σ x_j. */
function colAxpy(cols: Columns, j: number, delta: number, v: Float64Array): void {
  if (cols.ptr) {
    const idx = cols.idx!;
    for (let k = cols.ptr[j]!, e = cols.ptr[j + 1]!; k < e; k++)
      v[idx[k]!]! -= delta * cols.val[k]!;
  } else {
    const o = j * cols.n;
    for (let r = 0; r < cols.n; r++) v[r]! -= delta * cols.val[o + r]!;
  }
}

/** The largest α for which every coefficient is 0: max_j |x̃_jᵀ ỹ| / n. */
export function alphaMax(cols: Columns, yc: Float64Array): number {
  let m = 0;
  for (let j = 0; j < cols.p; j++) m = Math.max(m, Math.abs(colDot(cols, j, yc)) / cols.n);
  return m;
}

/** The working state of one coordinate-descent solve (reused along a path for warm starts). */
export interface CdState {
  readonly w: Float64Array;
  /** y - ȳ - X w */
  readonly r: Float64Array;
  /** Σ r */
  sumR: number;
}

/** A fresh state: w = 0, r = ỹ. */
export function cdInit(cols: Columns, yc: Float64Array): CdState {
  let s = 0;
  for (let i = 0; i < yc.length; i++) s += yc[i]!;
  return { w: new Float64Array(cols.p), r: Float64Array.from(yc), sumR: s };
}

/** Duality gap of the (unnormalized) problem at the current state, as scikit-learn's cd_fast. */
function dualityGap(cols: Columns, yc: Float64Array, st: CdState, alpha: number): number {
  const { n, p, mean } = cols;
  const alphaN = alpha * n;
  // Centered residual R = r + m·w
  let mw = 0;
  for (let j = 0; j < p; j++) mw += mean[j]! * st.w[j]!;
  let rNorm2 = 0;
  let rY = 0;
  let sumR = 0;
  const R = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = st.r[i]! + mw;
    R[i] = v;
    rNorm2 += v * v;
    rY += v * yc[i]!;
    sumR += v;
  }
  let dualNorm = 0;
  let wNorm1 = 0;
  for (let j = 0; j < p; j++) {
    dualNorm = Math.max(dualNorm, Math.abs(colDot(cols, j, R) - mean[j]! * sumR));
    wNorm1 += Math.abs(st.w[j]!);
  }
  let c = 1;
  let gap: number;
  if (dualNorm > alphaN) {
    c = alphaN / dualNorm;
    gap = 0.5 * (rNorm2 + rNorm2 * c * c);
  } else {
    gap = rNorm2;
  }
  return gap + alphaN * wNorm1 - c * rY;
}

/** Result of one solve. */
export interface CdResult {
  readonly iterations: number;
  readonly converged: boolean;
  readonly gap: number;
}

/**
 * Runs coordinate descent at `alpha` from the given state (warm start) until converged or
 * `maxIter` sweeps. `onSweep` sees each sweep's number and largest coefficient change.
 */
export function cdSolve(
  cols: Columns,
  yc: Float64Array,
  st: CdState,
  alpha: number,
  maxIter: number,
  tol: number,
  onSweep?: (sweep: number, maxDelta: number) => void,
): CdResult {
  const { p, n, mean, z } = cols;
  const w = st.w;
  let yNorm2 = 0;
  for (let i = 0; i < n; i++) yNorm2 += yc[i]! * yc[i]!;
  const tolGap = tol * yNorm2;
  let gap = Infinity;
  for (let it = 1; it <= maxIter; it++) {
    let maxDelta = 0;
    let maxW = 0;
    for (let j = 0; j < p; j++) {
      const zj = z[j]!;
      if (zj === 0) continue;
      const wj = w[j]!;
      const rho = (colDot(cols, j, st.r) - mean[j]! * st.sumR) / n + zj * wj;
      const nw = rho > alpha ? (rho - alpha) / zj : rho < -alpha ? (rho + alpha) / zj : 0;
      const d = nw - wj;
      if (d !== 0) {
        colAxpy(cols, j, d, st.r);
        st.sumR -= d * mean[j]! * n;
        w[j] = nw;
      }
      maxDelta = Math.max(maxDelta, Math.abs(d));
      maxW = Math.max(maxW, Math.abs(nw));
    }
    onSweep?.(it, maxDelta);
    if (maxW === 0 || maxDelta / maxW < tol || it === maxIter) {
      gap = dualityGap(cols, yc, st, alpha);
      if (gap < tolGap) return { iterations: it, converged: true, gap };
    }
  }
  return { iterations: maxIter, converged: false, gap };
}
