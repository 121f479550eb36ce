/**
 * Small, dependency-free statistical helpers used by the sample-size-aware tests: normal and
 * chi-square quantiles, the two-sample Kolmogorov-Smirnov critical value, Poisson/binomial upper
 * bounds and the Wilson interval. Accuracy is a few digits, plenty for thresholds.
 */

/** The standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) return p <= 0 ? -Infinity : Infinity;
  const a = [
    -39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472,
    2.50662827745924,
  ];
  const b = [
    -54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857,
  ];
  const c = [
    -0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373,
    4.37466414146497, 2.93816398269878,
  ];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  const lo = 0.02425;
  const A = (i: number) => a[i] as number;
  const B = (i: number) => b[i] as number;
  const C = (i: number) => c[i] as number;
  const D = (i: number) => d[i] as number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((C(0) * q + C(1)) * q + C(2)) * q + C(3)) * q + C(4)) * q + C(5)) /
      ((((D(0) * q + D(1)) * q + D(2)) * q + D(3)) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A(0) * r + A(1)) * r + A(2)) * r + A(3)) * r + A(4)) * r + A(5)) * q) /
    (((((B(0) * r + B(1)) * r + B(2)) * r + B(3)) * r + B(4)) * r + 1)
  );
}

/** The chi-square quantile with `df` degrees of freedom (Wilson-Hilferty). */
export function chiSquareQuantile(p: number, df: number): number {
  if (df <= 0) return 0;
  const z = normalQuantile(p);
  const h = 2 / (9 * df);
  return Math.max(0, df * Math.pow(1 - h + z * Math.sqrt(h), 3));
}

/**
 * The two-sample KS critical value for sizes `n` and `m` at significance `alpha`
 * (asymptotic: c(alpha) * sqrt((n + m) / (n m)), c(alpha) = sqrt(-ln(alpha / 2) / 2)).
 */
export function ksCritical(n: number, m: number, alpha: number): number {
  if (n <= 0 || m <= 0) return 1;
  return Math.sqrt(-0.5 * Math.log(alpha / 2)) * Math.sqrt((n + m) / (n * m));
}

/**
 * The smallest count `k` with P(X > k) <= alpha for X ~ Poisson(lambda) (exact sum for
 * lambda < 100, a continuity-corrected normal bound above).
 */
export function poissonUpper(lambda: number, alpha: number): number {
  if (lambda <= 0) return 0;
  if (lambda >= 100) return lambda + normalQuantile(1 - alpha) * Math.sqrt(lambda) + 0.5;
  let k = 0;
  let pmf = Math.exp(-lambda);
  let cdf = pmf;
  while (1 - cdf > alpha && k < 10_000) {
    k++;
    pmf *= lambda / k;
    cdf += pmf;
  }
  return k;
}

/** An upper bound on the count of successes in `m` trials of probability `p` (level `alpha`). */
export function binomialUpper(m: number, p: number, alpha: number): number {
  const lambda = m * p;
  if (lambda < 50 || p < 0.05) return poissonUpper(lambda, alpha);
  return lambda + normalQuantile(1 - alpha) * Math.sqrt(lambda * (1 - p)) + 0.5;
}

/** The Wilson score interval's upper end for `x` successes out of `n` at normal quantile `z`. */
export function wilsonUpper(x: number, n: number, z: number): number {
  if (n <= 0) return 1;
  const p = x / n;
  const z2 = z * z;
  const center = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.min(1, (center + half) / (1 + z2 / n));
}

/** The Wilson score interval's lower end (see {@link wilsonUpper}). */
export function wilsonLower(x: number, n: number, z: number): number {
  if (n <= 0) return 0;
  const p = x / n;
  const z2 = z * z;
  const center = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (center - half) / (1 + z2 / n));
}
