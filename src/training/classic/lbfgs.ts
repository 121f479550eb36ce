/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4: two-loop recursion) with a backtracking
 * Armijo line search, for smooth unconstrained minimization. Deterministic.
 */

/** Returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Maximum iterations (default 100). */
  readonly maxIter?: number;
  /** History size (default 10). */
  readonly memory?: number;
  /** Stop when max |∇f| <= gtol (default 1e-5, as scikit-learn's lbfgs pgtol... scaled by the caller). */
  readonly gtol?: number;
  /** Stop when the relative decrease of f is below ftol (default 1e-10). */
  readonly ftol?: number;
  /** Called after every iteration with the current point (do not modify it); return false to stop. */
  readonly onIter?: (iter: number, f: number, gradMax: number, x: Float64Array) => boolean | void;
}

/** The outcome of {@link lbfgs}. */
export interface LbfgsResult {
  readonly x: Float64Array;
  readonly f: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly evaluations: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Minimizes `fn` from `x0` (not modified).
 * @example lbfgs((x, g) => { g[0] = 2 * (x[0]! - 3); return (x[0]! - 3) ** 2; }, new Float64Array(1)).x // [3]
 */
export function lbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const maxIter = options.maxIter ?? 100;
  const m = options.memory ?? 10;
  const gtol = options.gtol ?? 1e-5;
  const ftol = options.ftol ?? 1e-10;
  const n = x0.length;
  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let f = fn(x, g);
  let evals = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  if (maxAbs(g) <= gtol) return { x, f, iterations: 0, converged: true, evaluations: evals };
  for (let iter = 1; iter <= maxIter; iter++) {
    // d = -H g by the two-loop recursion
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    const k = S.length;
    for (let j = k - 1; j >= 0; j--) {
      const a = rho[j]! * dot(S[j]!, d);
      alpha[j] = a;
      const y = Y[j]!;
      for (let i = 0; i < n; i++) d[i]! -= a * y[i]!;
    }
    if (k > 0) {
      const gamma = dot(S[k - 1]!, Y[k - 1]!) / dot(Y[k - 1]!, Y[k - 1]!);
      for (let i = 0; i < n; i++) d[i]! *= gamma;
    } else {
      const s = 1 / Math.max(1, Math.sqrt(dot(g, g)));
      for (let i = 0; i < n; i++) d[i]! *= s;
    }
    for (let j = 0; j < k; j++) {
      const b = rho[j]! * dot(Y[j]!, d);
      const s = S[j]!;
      const a = alpha[j]!;
      for (let i = 0; i < n; i++) d[i]! += (a - b) * s[i]!;
    }
    let gd = dot(g, d);
    if (!(gd < 0)) {
      // not a descent direction: reset to steepest descent
      S.length = 0;
      Y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gd = dot(g, d);
    }
    // backtracking Armijo line search
    let step = 1;
    let fNew = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * d[i]!;
      fNew = fn(xNew, gNew);
      evals++;
      if (fNew <= f + 1e-4 * step * gd) break;
      step *= 0.5;
    }
    if (!(fNew <= f + 1e-4 * step * gd)) {
      return { x, f, iterations: iter, converged: false, evaluations: evals };
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fOld = f;
    x.set(xNew);
    g.set(gNew);
    f = fNew;
    const gm = maxAbs(g);
    if (options.onIter?.(iter, f, gm, x) === false) {
      return { x, f, iterations: iter, converged: false, evaluations: evals };
    }
    if (gm <= gtol || (fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= ftol) {
      return { x, f, iterations: iter, converged: true, evaluations: evals };
    }
  }
  return { x, f, iterations: maxIter, converged: false, evaluations: evals };
}
