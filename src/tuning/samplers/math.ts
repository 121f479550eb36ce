/**
 * Numerics shared by samplers: log of Gaussian masses (robust in the tails), log-sum-exp,
 * truncated-normal draws.
 */
import type { Rng } from '../../core/rng.js';

const LN_HALF = Math.log(0.5);
const SQRT1_2 = Math.SQRT1_2;
/** log(1 / sqrt(2 pi)). */
export const LOG_INV_SQRT_2PI = -0.5 * Math.log(2 * Math.PI);

/**
 * log(erfc(x)) without underflow (Numerical Recipes' erfcc form, fractional error < 1.2e-7).
 */
export function logErfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  if (x >= 0) return Math.log(t) + poly;
  return Math.log(2 - t * Math.exp(poly));
}

/** log Phi(z), the standard normal log-CDF. */
export function logNdtr(z: number): number {
  return LN_HALF + logErfc(-z * SQRT1_2);
}

/** Phi(z), the standard normal CDF. */
export function ndtr(z: number): number {
  return Math.exp(logNdtr(z));
}

/** log(Phi(b) - Phi(a)) for a <= b, accurate in both tails and for narrow intervals. */
export function logGaussMass(a: number, b: number): number {
  if (!(b > a)) return -Infinity;
  if (b - a < 1e-3) {
    // Midpoint rule: relative error ~ (b - a)^2 |m^2 - 1| / 24.
    const m = 0.5 * (a + b);
    return LOG_INV_SQRT_2PI - 0.5 * m * m + Math.log(b - a);
  }
  if (a >= 0) return logGaussMass(-b, -a);
  if (b <= 0) {
    const lb = logNdtr(b);
    const la = logNdtr(a);
    return lb + Math.log1p(-Math.exp(la - lb));
  }
  // a < 0 < b: 1 - Phi(a) - Phi(-b), both tails small.
  return Math.log1p(-Math.exp(logNdtr(a)) - Math.exp(logNdtr(-b)));
}

/** log(sum(exp(xs))) over `xs[off..off+n)` with stride `stride`. */
export function logSumExp(xs: Float64Array, off = 0, n = xs.length, stride = 1): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = xs[off + i * stride] as number;
    if (v > m) m = v;
  }
  if (m === -Infinity) return -Infinity;
  if (m === Infinity) return Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp((xs[off + i * stride] as number) - m);
  return m + Math.log(s);
}

/**
 * A draw from N(mu, sigma) truncated to [lo, hi] by rejection, falling back to clipping after 100
 * tries (acceptance is >= 1/3 whenever mu is in [lo, hi] and sigma <= hi - lo, as in TPE).
 */
export function truncatedNormal(
  rng: Rng,
  mu: number,
  sigma: number,
  lo: number,
  hi: number,
): number {
  for (let i = 0; i < 100; i++) {
    const x = rng.normal(mu, sigma);
    if (x >= lo && x <= hi) return x;
  }
  return Math.min(hi, Math.max(lo, mu));
}

/** Index drawn with probability proportional to `weights` (non-negative, not all zero). */
export function weightedIndex(rng: Rng, cumulative: Float64Array): number {
  const total = cumulative[cumulative.length - 1] as number;
  const u = rng.float() * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
