// AssemblyScript. Row-wise softmax and fused softmax + cross-entropy over [rows, cols] logits,
// forward and backward. Hard labels are i32 class indices (validated by the caller), soft labels
// a [rows, cols] matrix; optional per-row weights scale each row's loss and gradient.
import { expv, exps } from './math';

/** max over a row of n floats. */
function rowMax(x: usize, n: i32): f32 {
  let j = 0;
  let m: f32 = -Infinity;
  if (n >= 4) {
    let v = v128.load(x);
    for (j = 4; j + 4 <= n; j += 4) v = f32x4.max(v, v128.load(x + (<usize>j << 2)));
    m = max(max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
  }
  for (; j < n; j++) m = max(m, load<f32>(x + (<usize>j << 2)));
  return m;
}

/** y = exp(x - m) over a row; returns the sum of y (f32 lanes, f64 across lanes). */
function rowExp(x: usize, y: usize, n: i32, m: f32): f32 {
  const vm = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = <usize>j << 2;
    const e = expv(f32x4.sub(v128.load(x + q), vm));
    v128.store(y + q, e);
    acc = f32x4.add(acc, e);
  }
  let s: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < n; j++) {
    const q = <usize>j << 2;
    const e = exps(load<f32>(x + q) - m);
    store<f32>(y + q, e);
    s += e;
  }
  return s;
}

/** y *= s over a row of n floats. */
function rowScale(y: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const q = <usize>j << 2;
    v128.store(y + q, f32x4.mul(v128.load(y + q), vs));
  }
  for (; j < n; j++) {
    const q = <usize>j << 2;
    store<f32>(y + q, load<f32>(y + q) * s);
  }
}

/** Row-wise softmax: y[i, :] = exp(x[i, :] - max) / sum. y may alias x. */
export function softmax(x: usize, y: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * cols) << 2;
    const m = rowMax(x + off, cols);
    const s = rowExp(x + off, y + off, cols, m);
    rowScale(y + off, cols, 1 / s);
  }
}

/** Softmax backward: dx = y * (dy - sum(dy * y)) per row. dx may alias dy. */
export function softmaxBackward(y: usize, dy: usize, dx: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * cols) << 2;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const q = off + (<usize>j << 2);
      acc = f32x4.add(acc, f32x4.mul(v128.load(y + q), v128.load(dy + q)));
    }
    let dot: f32 = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
    for (; j < cols; j++) {
      const q = off + (<usize>j << 2);
      dot += load<f32>(y + q) * load<f32>(dy + q);
    }
    const vd = f32x4.splat(dot);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const q = off + (<usize>j << 2);
      v128.store(dx + q, f32x4.mul(v128.load(y + q), f32x4.sub(v128.load(dy + q), vd)));
    }
    for (; j < cols; j++) {
      const q = off + (<usize>j << 2);
      store<f32>(dx + q, load<f32>(y + q) * (load<f32>(dy + q) - dot));
    }
  }
}

/**
 * Softmax + cross-entropy forward. Writes probs [rows, cols] and, when losses != 0, the weighted
 * per-row losses [rows]. Targets: labels (i32 [rows]) when != 0, else soft (f32 [rows, cols]).
 * Returns the sum of the weighted per-row losses (f64).
 */
export function softmaxCrossEntropy(
  logits: usize,
  rows: i32,
  cols: i32,
  labels: usize,
  soft: usize,
  weights: usize,
  probs: usize,
  losses: usize,
): f64 {
  let total: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * cols) << 2;
    const x = logits + off;
    const m = rowMax(x, cols);
    const s = rowExp(x, probs + off, cols, m);
    rowScale(probs + off, cols, 1 / s);
    const lse: f64 = <f64>m + Math.log(<f64>s);
    let loss: f64 = 0;
    if (labels) {
      const c = load<i32>(labels + (<usize>i << 2));
      loss = lse - <f64>load<f32>(x + (<usize>c << 2));
    } else {
      const t = soft + off;
      for (let j = 0; j < cols; j++) {
        const q = <usize>j << 2;
        const tj = <f64>load<f32>(t + q);
        if (tj != 0) loss += tj * (lse - <f64>load<f32>(x + q));
      }
    }
    if (weights) loss *= <f64>load<f32>(weights + (<usize>i << 2));
    if (losses) store<f32>(losses + (<usize>i << 2), <f32>loss);
    total += loss;
  }
  return total;
}

/**
 * Softmax + cross-entropy backward: dlogits = scale * w_i * (sum(t_i) * p_i - t_i), which is
 * scale * w_i * (p_i - onehot) for hard labels. dlogits may alias probs.
 */
export function softmaxCrossEntropyBackward(
  probs: usize,
  rows: i32,
  cols: i32,
  labels: usize,
  soft: usize,
  weights: usize,
  scale: f32,
  dlogits: usize,
): void {
  for (let i = 0; i < rows; i++) {
    const off = (<usize>i * cols) << 2;
    let w = scale;
    if (weights) w *= load<f32>(weights + (<usize>i << 2));
    if (labels) {
      const p = probs + off;
      const d = dlogits + off;
      const vw = f32x4.splat(w);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const q = <usize>j << 2;
        v128.store(d + q, f32x4.mul(v128.load(p + q), vw));
      }
      for (; j < cols; j++) {
        const q = <usize>j << 2;
        store<f32>(d + q, load<f32>(p + q) * w);
      }
      const c = <usize>load<i32>(labels + (<usize>i << 2)) << 2;
      store<f32>(d + c, load<f32>(d + c) - w);
    } else {
      const t = soft + off;
      let ts: f32 = 0;
      for (let j = 0; j < cols; j++) ts += load<f32>(t + (<usize>j << 2));
      for (let j = 0; j < cols; j++) {
        const q = off + (<usize>j << 2);
        store<f32>(dlogits + q, w * (ts * load<f32>(probs + q) - load<f32>(soft + q)));
      }
    }
  }
}
