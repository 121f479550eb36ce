/**
 * Small dense linear algebra for the GP sampler: row-major Float64Array matrices.
 */

/**
 * In-place lower Cholesky factor of the symmetric positive-definite `n x n` matrix `a`
 * (upper triangle zeroed). Returns false if `a` is not positive definite.
 */
export function cholesky(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] as number;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] as number) ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j] as number;
      for (let k = 0; k < j; k++) s -= (a[i * n + k] as number) * (a[j * n + k] as number);
      a[i * n + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) a[j * n + k] = 0;
  }
  return true;
}

/** Solves `L x = b` (forward substitution) into a new array. */
export function solveLower(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i] as number;
    for (let k = 0; k < i; k++) s -= (l[i * n + k] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/** Solves `L^T x = b` (back substitution) into a new array. */
export function solveUpperT(l: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let k = i + 1; k < n; k++) s -= (l[k * n + i] as number) * (x[k] as number);
    x[i] = s / (l[i * n + i] as number);
  }
  return x;
}

/** `A^{-1}` from the Cholesky factor `L` of `A` (n x n, row-major). */
export function choleskyInverse(l: Float64Array, n: number): Float64Array {
  // Invert L (lower triangular), then A^{-1} = L^{-T} L^{-1}.
  const li = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    li[j * n + j] = 1 / (l[j * n + j] as number);
    for (let i = j + 1; i < n; i++) {
      let s = 0;
      for (let k = j; k < i; k++) s -= (l[i * n + k] as number) * (li[k * n + j] as number);
      li[i * n + j] = s / (l[i * n + i] as number);
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = i; k < n; k++) s += (li[k * n + i] as number) * (li[k * n + j] as number);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}

/**
 * Minimizes `f` (returning value and gradient) with L-BFGS (memory `m`) and a backtracking
 * Armijo line search. Returns the best point found.
 */
export function lbfgs(
  f: (x: Float64Array) => { value: number; grad: Float64Array },
  x0: Float64Array,
  opts: { readonly maxIter?: number; readonly m?: number; readonly tol?: number } = {},
): { x: Float64Array; value: number } {
  const maxIter = opts.maxIter ?? 50;
  const m = opts.m ?? 8;
  const tol = opts.tol ?? 1e-6;
  const d = x0.length;
  let x = Float64Array.from(x0);
  let { value, grad } = f(x);
  if (!Number.isFinite(value)) return { x, value };
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const dot = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < d; i++) s += (a[i] as number) * (b[i] as number);
    return s;
  };
  for (let iter = 0; iter < maxIter; iter++) {
    // Two-loop recursion: p = -H g.
    const q = Float64Array.from(grad);
    const alphas: number[] = [];
    for (let k = ss.length - 1; k >= 0; k--) {
      const rho = 1 / dot(ys[k] as Float64Array, ss[k] as Float64Array);
      const a = rho * dot(ss[k] as Float64Array, q);
      alphas[k] = a;
      for (let i = 0; i < d; i++) q[i]! -= a * (ys[k] as Float64Array)[i]!;
    }
    if (ss.length > 0) {
      const last = ss.length - 1;
      const gamma =
        dot(ss[last] as Float64Array, ys[last] as Float64Array) /
        dot(ys[last] as Float64Array, ys[last] as Float64Array);
      for (let i = 0; i < d; i++) q[i]! *= gamma;
    } else {
      const gn = Math.sqrt(dot(grad, grad));
      for (let i = 0; i < d; i++) q[i]! *= 1 / Math.max(gn, 1);
    }
    for (let k = 0; k < ss.length; k++) {
      const rho = 1 / dot(ys[k] as Float64Array, ss[k] as Float64Array);
      const b = rho * dot(ys[k] as Float64Array, q);
      for (let i = 0; i < d; i++)
        q[i]! += (ss[k] as Float64Array)[i]! * ((alphas[k] as number) - b);
    }
    const p = q.map((v) => -v);
    let slope = dot(grad, p);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      ss.length = 0;
      ys.length = 0;
      for (let i = 0; i < d; i++) p[i] = -(grad[i] as number);
      slope = dot(grad, p);
    }
    let step = 1;
    let next: { value: number; grad: Float64Array } | undefined;
    let xn = x;
    for (let ls = 0; ls < 30; ls++) {
      xn = x.map((v, i) => v + step * (p[i] as number));
      const r = f(xn);
      if (Number.isFinite(r.value) && r.value <= value + 1e-4 * step * slope) {
        next = r;
        break;
      }
      step *= 0.5;
    }
    if (!next) break;
    const s = xn.map((v, i) => v - (x[i] as number));
    const y = next.grad.map((v, i) => v - (grad[i] as number));
    if (dot(s, y) > 1e-12) {
      ss.push(s);
      ys.push(y);
      if (ss.length > m) {
        ss.shift();
        ys.shift();
      }
    }
    const improvement = value - next.value;
    x = xn;
    value = next.value;
    grad = next.grad;
    if (improvement < tol * Math.max(1, Math.abs(value)) || Math.sqrt(dot(grad, grad)) < tol) break;
  }
  return { x, value };
}
