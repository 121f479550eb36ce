// AssemblyScript. Fused bias + activation epilogue and its backward, on row-major [rows, cols]
// matrices with a per-column bias. Activation codes: 0 none, 1 relu, 2 gelu (tanh approximation),
// 3 tanh, 4 sigmoid. The backward recomputes z = x + bias, so it needs only the forward's input.
import { expv, tanhv, sigmoidv, loadN, storeN, GELU_C, GELU_K } from './math';

// @ts-ignore: decorator
@inline
function actv(z: v128, act: i32): v128 {
  if (act == 1) return f32x4.max(z, f32x4.splat(0));
  if (act == 2) {
    const z3 = f32x4.mul(f32x4.mul(z, z), z);
    const u = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(z, f32x4.mul(f32x4.splat(GELU_K), z3)));
    return f32x4.mul(f32x4.mul(f32x4.splat(0.5), z), f32x4.add(f32x4.splat(1), tanhv(u)));
  }
  if (act == 3) return tanhv(z);
  if (act == 4) return sigmoidv(z);
  return z;
}

/** d act(z) / dz on four lanes. */
// @ts-ignore: decorator
@inline
function dactv(z: v128, act: i32): v128 {
  const one = f32x4.splat(1);
  if (act == 1) return v128.and(f32x4.gt(z, f32x4.splat(0)), one);
  if (act == 2) {
    const z2 = f32x4.mul(z, z);
    const u = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(z, f32x4.mul(f32x4.splat(GELU_K), f32x4.mul(z2, z))));
    const t = tanhv(u);
    const du = f32x4.mul(f32x4.splat(GELU_C), f32x4.add(one, f32x4.mul(f32x4.splat(3 * GELU_K), z2)));
    const half = f32x4.splat(0.5);
    const left = f32x4.mul(half, f32x4.add(one, t));
    const right = f32x4.mul(f32x4.mul(f32x4.mul(half, z), f32x4.sub(one, f32x4.mul(t, t))), du);
    return f32x4.add(left, right);
  }
  if (act == 3) {
    const t = tanhv(z);
    return f32x4.sub(one, f32x4.mul(t, t));
  }
  if (act == 4) {
    const s = sigmoidv(z);
    return f32x4.mul(s, f32x4.sub(one, s));
  }
  return one;
}

/** y = act(x + bias) over [rows, cols]; bias (cols floats) may be 0 for none. y may alias x. */
export function biasAct(x: usize, bias: usize, y: usize, rows: i32, cols: i32, act: i32): void {
  biasActStrided(x, cols, bias, y, cols, rows, cols, act);
}

/** {@link biasAct} with row strides ldx / ldy in floats (the GEMM epilogue runs on C blocks). */
export function biasActStrided(
  x: usize,
  ldx: i32,
  bias: usize,
  y: usize,
  ldy: i32,
  rows: i32,
  cols: i32,
  act: i32,
): void {
  const tail = cols & 3;
  const body = cols - tail;
  for (let i = 0; i < rows; i++) {
    const xr = x + ((<usize>i * ldx) << 2);
    const yr = y + ((<usize>i * ldy) << 2);
    let j = 0;
    for (; j < body; j += 4) {
      const q = <usize>j << 2;
      let z = v128.load(xr + q);
      if (bias) z = f32x4.add(z, v128.load(bias + q));
      v128.store(yr + q, actv(z, act));
    }
    if (tail) {
      const q = <usize>j << 2;
      let z = loadN(xr + q, tail);
      if (bias) z = f32x4.add(z, loadN(bias + q, tail));
      storeN(yr + q, actv(z, act), tail);
    }
  }
}

/**
 * dx = dy * act'(x + bias) over [rows, cols]; dbias (cols floats, may be 0) = column sums of dx.
 * dx may alias dy.
 */
export function biasActBackward(
  x: usize,
  bias: usize,
  dy: usize,
  dx: usize,
  dbias: usize,
  rows: i32,
  cols: i32,
  act: i32,
): void {
  if (dbias) memory.fill(dbias, 0, <usize>cols << 2);
  const tail = cols & 3;
  const body = cols - tail;
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * cols) << 2;
    let j = 0;
    for (; j < body; j += 4) {
      const q = <usize>j << 2;
      let z = v128.load(x + off + q);
      if (bias) z = f32x4.add(z, v128.load(bias + q));
      const g = f32x4.mul(v128.load(dy + off + q), dactv(z, act));
      v128.store(dx + off + q, g);
      if (dbias) v128.store(dbias + q, f32x4.add(v128.load(dbias + q), g));
    }
    if (tail) {
      const q = <usize>j << 2;
      let z = loadN(x + off + q, tail);
      if (bias) z = f32x4.add(z, loadN(bias + q, tail));
      const g = f32x4.mul(loadN(dy + off + q, tail), dactv(z, act));
      storeN(dx + off + q, g, tail);
      if (dbias) storeN(dbias + q, f32x4.add(loadN(dbias + q, tail), g), tail);
    }
  }
}

/** exp on n floats (y may alias x); exposed for tests of the shared exp approximation. */
export function expArray(x: usize, y: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(y + (<usize>i << 2), expv(v128.load(x + (<usize>i << 2))));
  if (i < n) storeN(y + (<usize>i << 2), expv(loadN(x + (<usize>i << 2), n - i)), n - i);
}
