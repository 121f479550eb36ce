// AssemblyScript. Vectorised transcendental functions shared by the kernels: a Cephes-style exp
// (range reduction by ln 2, degree-6 polynomial, 2^n built in the exponent bits; ~2 ulp), and
// tanh / sigmoid / GELU built on it. Each has a scalar twin that runs the same arithmetic, so
// SIMD bodies and scalar tails agree bit for bit.

const EXP_HI: f32 = 88.3762626647949;
const EXP_LO: f32 = -87.3365447504;
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
/** sqrt(2 / pi), the GELU tanh-approximation constant. */
export const GELU_C: f32 = 0.7978845608028654;
/** The cubic coefficient of the GELU tanh approximation. */
export const GELU_K: f32 = 0.044715;

/** exp on four lanes; exact 0 below EXP_LO, NaN in gives NaN out. */
// @ts-ignore: decorator
@inline
export function expv(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  const pow2n = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  const y = f32x4.mul(p, pow2n);
  // Lanes below the range underflow to 0 (exp(-inf) = 0 matters for masked softmax).
  return v128.andnot(y, f32x4.lt(x0, f32x4.splat(EXP_LO)));
}

/** The scalar twin of {@link expv}. */
// @ts-ignore: decorator
@inline
export function exps(x: f32): f32 {
  return f32x4.extract_lane(expv(f32x4.splat(x)), 0);
}

/** tanh(x) = sign(x) * (1 - 2 / (exp(2|x|) + 1)). */
// @ts-ignore: decorator
@inline
export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const e = expv(f32x4.add(ax, ax));
  const t = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  // copy the sign bit of x onto t
  const sign = v128.and(x, i32x4.splat(0x80000000));
  return v128.or(t, sign);
}

/** The scalar twin of {@link tanhv}. */
// @ts-ignore: decorator
@inline
export function tanhs(x: f32): f32 {
  return f32x4.extract_lane(tanhv(f32x4.splat(x)), 0);
}

/** sigmoid(x) = 1 / (1 + exp(-x)). */
// @ts-ignore: decorator
@inline
export function sigmoidv(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expv(f32x4.neg(x))));
}

/** Loads n (1..3) trailing floats into the low lanes, zeroing the rest. */
// @ts-ignore: decorator
@inline
export function loadN(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the low n (1..3) lanes. */
// @ts-ignore: decorator
@inline
export function storeN(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}
