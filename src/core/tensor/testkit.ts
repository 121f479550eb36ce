/**
 * Helpers for testing kernels and, later, layers built on them: seeded random arrays, an
 * elementwise closeness check that names the worst element, and central finite differences.
 */
import type { Rng } from '../rng.js';

/** n uniform draws in [lo, hi) as a Float32Array (float32-exact, so f32 and f64 paths see the same inputs). */
export function randomArray(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.uniform(lo, hi);
  return out;
}

/**
 * Null when |actual - expected| <= atol + rtol * |expected| everywhere (NaN matches NaN only),
 * else a message naming the worst element.
 */
export function compareArrays(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  atol: number,
  rtol = 0,
): string | null {
  if (actual.length !== expected.length)
    return `length ${actual.length} != expected ${expected.length}`;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(a) || Number.isNaN(e)) {
      if (Number.isNaN(a) !== Number.isNaN(e)) return `element ${i}: got ${a}, expected ${e}`;
      continue;
    }
    if (a === e) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return null;
  return `element ${worst}: got ${actual[worst]}, expected ${expected[worst]} (|diff| ${Math.abs(
    (actual[worst] as number) - (expected[worst] as number),
  )} > atol ${atol} + rtol ${rtol} * |expected|)`;
}

/** Central differences (f(x + h e_i) - f(x - h e_i)) / 2h for every i; x is restored. */
export function numericGradient(
  f: (x: Float64Array) => number,
  x: Float64Array,
  h = 1e-6,
): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    x[i] = v + h;
    const up = f(x);
    x[i] = v - h;
    const down = f(x);
    x[i] = v;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** sum(r * y): the scalar loss whose gradient wrt y is r, for gradient checks. */
export function dot(r: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += (r[i] as number) * (y[i] as number);
  return s;
}
