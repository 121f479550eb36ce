/**
 * Plain-TypeScript reference of every engine kernel: the test oracle. Written for clarity, not
 * speed: direct loops, float64 arithmetic, exact Math.exp/Math.tanh. Inputs are any array-likes;
 * outputs are Float32Array or Float64Array (pass Float64Array to get float64 results, as the
 * finite-difference gradient checks do). Argument order mirrors the kernels in ./kernels.
 */
import type { Activation } from './activation.js';

/** A writable numeric array. */
export type Out = Float32Array | Float64Array;
/** A readable numeric array. */
export type In = ArrayLike<number>;

/** C = alpha op(A) op(B) + beta C, row-major with row strides (beta = 0 ignores C). */
export function refGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: In,
  lda: number,
  b: In,
  ldb: number,
  beta: number,
  c: Out,
  ldc: number,
): void {
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * lda + i]! : a[i * lda + p]!;
      if (transB) for (let j = 0; j < n; j++) acc[j]! += aip * b[j * ldb + p]!;
      else {
        const off = p * ldb;
        for (let j = 0; j < n; j++) acc[j]! += aip * b[off + j]!;
      }
    }
    const row = i * ldc;
    for (let j = 0; j < n; j++)
      c[row + j] = alpha * acc[j]! + (beta === 0 ? 0 : beta * c[row + j]!);
  }
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

/** act(z), exactly (GELU: tanh approximation). */
export function refActivation(z: number, act: Activation): number {
  switch (act) {
    case 'relu':
      return z > 0 ? z : 0;
    case 'gelu':
      return 0.5 * z * (1 + Math.tanh(GELU_C * (z + GELU_K * z * z * z)));
    case 'tanh':
      return Math.tanh(z);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-z));
    default:
      return z;
  }
}

/** d act(z) / dz, exactly (relu'(0) = 0). */
export function refActivationGrad(z: number, act: Activation): number {
  switch (act) {
    case 'relu':
      return z > 0 ? 1 : 0;
    case 'gelu': {
      const t = Math.tanh(GELU_C * (z + GELU_K * z * z * z));
      return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * GELU_C * (1 + 3 * GELU_K * z * z);
    }
    case 'tanh': {
      const t = Math.tanh(z);
      return 1 - t * t;
    }
    case 'sigmoid': {
      const s = 1 / (1 + Math.exp(-z));
      return s * (1 - s);
    }
    default:
      return 1;
  }
}

/** y = act(x + bias) over [rows, cols], bias per column (null: none). */
export function refBiasAct(
  x: In,
  bias: In | null,
  y: Out,
  rows: number,
  cols: number,
  act: Activation,
): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const z = x[i * cols + j]! + (bias ? bias[j]! : 0);
      y[i * cols + j] = refActivation(z, act);
    }
  }
}

/** dx = dy * act'(x + bias); dbias (null: skip) = column sums of dx. */
export function refBiasActBackward(
  x: In,
  bias: In | null,
  dy: In,
  dx: Out,
  dbias: Out | null,
  rows: number,
  cols: number,
  act: Activation,
): void {
  dbias?.fill(0);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const z = x[i * cols + j]! + (bias ? bias[j]! : 0);
      const g = dy[i * cols + j]! * refActivationGrad(z, act);
      dx[i * cols + j] = g;
      if (dbias) dbias[j]! += g;
    }
  }
}

/** Row-wise softmax over [rows, cols]. */
export function refSoftmax(x: In, y: Out, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[i * cols + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[i * cols + j]! - m);
    for (let j = 0; j < cols; j++) y[i * cols + j] = Math.exp(x[i * cols + j]! - m) / s;
  }
}

/** dx = y * (dy - sum(dy * y)) per row. */
export function refSoftmaxBackward(y: In, dy: In, dx: Out, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let dot = 0;
    for (let j = 0; j < cols; j++) dot += y[i * cols + j]! * dy[i * cols + j]!;
    for (let j = 0; j < cols; j++) dx[i * cols + j] = y[i * cols + j]! * (dy[i * cols + j]! - dot);
  }
}

/** Hard labels (class index per row) or soft labels ([rows, cols]). */
export type RefTarget = { readonly labels: In } | { readonly soft: In };

function targetAt(t: RefTarget, i: number, j: number, cols: number): number {
  return 'labels' in t ? (t.labels[i] === j ? 1 : 0) : t.soft[i * cols + j]!;
}

/** Softmax + cross-entropy: probs, weighted per-row losses (null: skip); returns their sum. */
export function refSoftmaxCrossEntropy(
  logits: In,
  rows: number,
  cols: number,
  target: RefTarget,
  weights: In | null,
  probs: Out,
  losses: Out | null,
): number {
  refSoftmax(logits, probs, rows, cols);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, logits[i * cols + j]!);
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(logits[i * cols + j]! - m);
    const lse = m + Math.log(s);
    let loss = 0;
    for (let j = 0; j < cols; j++) {
      const t = targetAt(target, i, j, cols);
      if (t !== 0) loss += t * (lse - logits[i * cols + j]!);
    }
    loss *= weights ? weights[i]! : 1;
    if (losses) losses[i] = loss;
    total += loss;
  }
  return total;
}

/** dlogits = scale * w_i * (sum(t_i) p_i - t_i). */
export function refSoftmaxCrossEntropyBackward(
  probs: In,
  rows: number,
  cols: number,
  target: RefTarget,
  weights: In | null,
  scale: number,
  dlogits: Out,
): void {
  for (let i = 0; i < rows; i++) {
    const w = scale * (weights ? weights[i]! : 1);
    let ts = 0;
    for (let j = 0; j < cols; j++) ts += targetAt(target, i, j, cols);
    for (let j = 0; j < cols; j++) {
      dlogits[i * cols + j] = w * (ts * probs[i * cols + j]! - targetAt(target, i, j, cols));
    }
  }
}

/** Geometry of a 2-D convolution or pooling: input N,C,H,W, output OC,OH,OW, window and steps. */
export interface RefGeometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oc: number;
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  readonly oh: number;
  readonly ow: number;
}

/** Direct (no im2col) NCHW convolution: y = w * x + bias. */
export function refConv2d(x: In, w: In, bias: In | null, y: Out, g: RefGeometry): void {
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.oc; o++) {
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          let s = bias ? bias[o]! : 0;
          for (let c = 0; c < g.c; c++) {
            for (let i = 0; i < g.kh; i++) {
              const iy = oy * g.sh - g.ph + i * g.dh;
              if (iy < 0 || iy >= g.h) continue;
              for (let j = 0; j < g.kw; j++) {
                const ix = ox * g.sw - g.pw + j * g.dw;
                if (ix < 0 || ix >= g.w) continue;
                s +=
                  w[((o * g.c + c) * g.kh + i) * g.kw + j]! *
                  x[((n * g.c + c) * g.h + iy) * g.w + ix]!;
              }
            }
          }
          y[((n * g.oc + o) * g.oh + oy) * g.ow + ox] = s;
        }
      }
    }
  }
}

/** Direct convolution backward: dx, dw, dbias overwritten (null skips one). */
export function refConv2dBackward(
  x: In,
  w: In,
  dy: In,
  dx: Out | null,
  dw: Out | null,
  dbias: Out | null,
  g: RefGeometry,
): void {
  dx?.fill(0);
  dw?.fill(0);
  dbias?.fill(0);
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.oc; o++) {
      for (let oy = 0; oy < g.oh; oy++) {
        for (let ox = 0; ox < g.ow; ox++) {
          const gy = dy[((n * g.oc + o) * g.oh + oy) * g.ow + ox]!;
          if (dbias) dbias[o]! += gy;
          for (let c = 0; c < g.c; c++) {
            for (let i = 0; i < g.kh; i++) {
              const iy = oy * g.sh - g.ph + i * g.dh;
              if (iy < 0 || iy >= g.h) continue;
              for (let j = 0; j < g.kw; j++) {
                const ix = ox * g.sw - g.pw + j * g.dw;
                if (ix < 0 || ix >= g.w) continue;
                const wi = ((o * g.c + c) * g.kh + i) * g.kw + j;
                const xi = ((n * g.c + c) * g.h + iy) * g.w + ix;
                if (dw) dw[wi]! += gy * x[xi]!;
                if (dx) dx[xi]! += gy * w[wi]!;
              }
            }
          }
        }
      }
    }
  }
}

/** Visits the in-bounds window positions (flat index within the plane) of output (oy, ox). */
function window(g: RefGeometry, oy: number, ox: number, visit: (idx: number) => void): void {
  for (let i = 0; i < g.kh; i++) {
    const iy = oy * g.sh - g.ph + i;
    if (iy < 0 || iy >= g.h) continue;
    for (let j = 0; j < g.kw; j++) {
      const ix = ox * g.sw - g.pw + j;
      if (ix >= 0 && ix < g.w) visit(iy * g.w + ix);
    }
  }
}

/** Max pooling over n*c planes; argmax = flat plane index of the first maximum (NaN wins). */
export function refMaxPool(x: In, y: Out, argmax: Int32Array, g: RefGeometry): void {
  const hw = g.h * g.w;
  const ohw = g.oh * g.ow;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        let best = -Infinity;
        let arg = -1;
        window(g, oy, ox, (idx) => {
          const v = x[p * hw + idx]!;
          if (arg < 0 || v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
            best = v;
            arg = idx;
          }
        });
        y[p * ohw + oy * g.ow + ox] = arg < 0 ? 0 : best;
        argmax[p * ohw + oy * g.ow + ox] = arg;
      }
    }
  }
}

/** dx = 0, then dy routed to each argmax. */
export function refMaxPoolBackward(dy: In, argmax: In, dx: Out, g: RefGeometry): void {
  dx.fill(0);
  const hw = g.h * g.w;
  const ohw = g.oh * g.ow;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let o = 0; o < ohw; o++) {
      const a = argmax[p * ohw + o]!;
      if (a >= 0) dx[p * hw + a]! += dy[p * ohw + o]!;
    }
  }
}

/** Average pooling, dividing by kh*kw. */
export function refAvgPool(x: In, y: Out, g: RefGeometry): void {
  const hw = g.h * g.w;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        let s = 0;
        window(g, oy, ox, (idx) => (s += x[p * hw + idx]!));
        y[(p * g.oh + oy) * g.ow + ox] = s / (g.kh * g.kw);
      }
    }
  }
}

/** Average pooling backward: dx overwritten. */
export function refAvgPoolBackward(dy: In, dx: Out, g: RefGeometry): void {
  dx.fill(0);
  const hw = g.h * g.w;
  for (let p = 0; p < g.n * g.c; p++) {
    for (let oy = 0; oy < g.oh; oy++) {
      for (let ox = 0; ox < g.ow; ox++) {
        const v = dy[(p * g.oh + oy) * g.ow + ox]! / (g.kh * g.kw);
        window(g, oy, ox, (idx) => (dx[p * hw + idx]! += v));
      }
    }
  }
}

/** out[i, :] = table[idx[i], :]. */
export function refEmbeddingGather(table: In, dim: number, idx: In, out: Out): void {
  for (let i = 0; i < idx.length; i++) {
    for (let j = 0; j < dim; j++) out[i * dim + j] = table[idx[i]! * dim + j]!;
  }
}

/** dtable[idx[i], :] += dout[i, :]. */
export function refEmbeddingScatterAdd(dout: In, idx: In, dim: number, dtable: Out): void {
  for (let i = 0; i < idx.length; i++) {
    for (let j = 0; j < dim; j++) dtable[idx[i]! * dim + j]! += dout[i * dim + j]!;
  }
}

/** Column sums of [rows, cols]. */
export function refSumAxis0(x: In, rows: number, cols: number, out: Out): void {
  out.fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j]! += x[i * cols + j]!;
}

/** Row sums of [rows, cols]. */
export function refSumAxis1(x: In, rows: number, cols: number, out: Out): void {
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += x[i * cols + j]!;
    out[i] = s;
  }
}

/** Sum of every element. */
export function refSum(x: In): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s;
}

/** out = a + b. */
export function refAdd(a: In, b: In, out: Out): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

/** out = a * b. */
export function refMul(a: In, b: In, out: Out): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
}

/** out = s * a. */
export function refScale(a: In, s: number, out: Out): void {
  for (let i = 0; i < out.length; i++) out[i] = s * a[i]!;
}

/** y += alpha * x. */
export function refAxpy(alpha: number, x: In, y: Out): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** SGD with momentum (PyTorch semantics, no dampening), in place. */
export function refSgd(
  p: Out,
  g: In,
  v: Out,
  lr: number,
  mu: number,
  wd: number,
  nesterov: boolean,
): void {
  for (let i = 0; i < p.length; i++) {
    const gi = g[i]! + wd * p[i]!;
    v[i] = mu * v[i]! + gi;
    p[i]! -= lr * (nesterov ? gi + mu * v[i]! : v[i]!);
  }
}

/** Adam (decoupled = false) or AdamW (decoupled = true), PyTorch semantics, in place; step >= 1. */
export function refAdam(
  p: Out,
  g: In,
  m: Out,
  v: Out,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  wd: number,
  decoupled: boolean,
  step: number,
): void {
  const bc1 = 1 - b1 ** step;
  const bc2 = 1 - b2 ** step;
  for (let i = 0; i < p.length; i++) {
    if (decoupled) p[i]! *= 1 - lr * wd;
    const gi = g[i]! + (decoupled ? 0 : wd * p[i]!);
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    p[i]! -= (lr * (m[i]! / bc1)) / (Math.sqrt(v[i]! / bc2) + eps);
  }
}
