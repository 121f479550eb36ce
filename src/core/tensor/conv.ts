import { expectDtype, expectNoOverlap, expectShape, fail, fmt, sameEngine } from './check.js';
import { gemm } from './gemm.js';
import type { Tensor } from './tensor.js';

/** A size for both spatial axes, or [height, width]. */
export type Pair = number | readonly [number, number];

/** Geometry of {@link conv2d}: stride (default 1), zero padding (0) and dilation (1). */
export interface Conv2dOptions {
  readonly stride?: Pair;
  readonly padding?: Pair;
  readonly dilation?: Pair;
}

/** @internal Resolves a {@link Pair}, checking the bound. */
export function pair(
  op: string,
  name: string,
  v: Pair | undefined,
  dflt: number,
  min: number,
): [number, number] {
  const [a, b] = v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
  for (const x of [a, b]) {
    if (!Number.isInteger(x) || x < min)
      fail(op, `${name} must be integers >= ${min}, got ${JSON.stringify(v)}`);
  }
  return [a, b];
}

interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  oc: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
}

function geometry(
  op: string,
  xShape: readonly number[],
  wShape: readonly number[],
  o: Conv2dOptions,
): Geometry {
  if (xShape.length !== 4) fail(op, `x must be NCHW (rank 4), got shape ${fmt(xShape)}`);
  if (wShape.length !== 4)
    fail(op, `w must be [outChannels, inChannels, kh, kw], got shape ${fmt(wShape)}`);
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [oc, wc, kh, kw] = wShape as [number, number, number, number];
  if (wc !== c)
    fail(op, `w ${fmt(wShape)} expects ${wc} input channels but x ${fmt(xShape)} has ${c}`);
  const [sh, sw] = pair(op, 'stride', o.stride, 1, 1);
  const [ph, pw] = pair(op, 'padding', o.padding, 0, 0);
  const [dh, dw] = pair(op, 'dilation', o.dilation, 1, 1);
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  if (oh < 1 || ow < 1 || kh < 1 || kw < 1) {
    fail(
      op,
      `kernel ${fmt(wShape)} (dilation ${dh}x${dw}) does not fit input ${fmt(xShape)} with padding ${ph}x${pw}`,
    );
  }
  return { n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** The output shape [N, OC, OH, OW] of {@link conv2d}; throws INVALID_ARGUMENT when it does not fit. */
export function conv2dOutputShape(
  xShape: readonly number[],
  wShape: readonly number[],
  options: Conv2dOptions = {},
): [number, number, number, number] {
  const g = geometry('conv2dOutputShape', xShape, wShape, options);
  return [g.n, g.oc, g.oh, g.ow];
}

function colArgs(g: Geometry, src: number, dst: number) {
  return [
    src,
    g.c,
    g.h,
    g.w,
    g.kh,
    g.kw,
    g.sh,
    g.sw,
    g.ph,
    g.pw,
    g.dh,
    g.dw,
    g.oh,
    g.ow,
    dst,
  ] as const;
}

/**
 * 2-D convolution (cross-correlation, like PyTorch) on NCHW tensors: y = w * x + bias, with
 * w [OC, C, KH, KW] and bias [OC] or null. Each image is im2col-unfolded into a scratch
 * [C*KH*KW, OH*OW] matrix and multiplied by w viewed as [OC, C*KH*KW] with {@link gemm}.
 * Allocates (and frees) the scratch matrix, so views from `.data` must be re-read afterwards.
 */
export function conv2d(
  x: Tensor,
  w: Tensor,
  bias: Tensor | null,
  y: Tensor,
  options: Conv2dOptions = {},
): void {
  const op = 'conv2d';
  sameEngine(op, x, w, bias, y);
  for (const [name, t] of [
    ['x', x],
    ['w', w],
    ['y', y],
    ['bias', bias],
  ] as const)
    if (t) expectDtype(op, name, t, 'float32');
  const g = geometry(op, x.shape, w.shape, options);
  expectShape(
    op,
    'y',
    y,
    [g.n, g.oc, g.oh, g.ow],
    `conv of x ${fmt(x.shape)} with w ${fmt(w.shape)}`,
  );
  if (bias) expectShape(op, 'bias', bias, [g.oc], 'one bias per output channel');
  expectNoOverlap(op, 'y', y, ['x', x], ['w', w], ['bias', bias]);
  const e = x.engine;
  const ckk = g.c * g.kh * g.kw;
  const ohw = g.oh * g.ow;
  e.scope(() => {
    const col = e.empty([ckk, ohw]);
    const w2 = w.reshape([g.oc, ckk]);
    for (let i = 0; i < g.n; i++) {
      e.kernels.im2col(...colArgs(g, x.ptr + i * g.c * g.h * g.w * 4, col.ptr));
      const yi = y.view(i * g.oc * ohw, [g.oc, ohw]);
      gemm(w2, col, yi);
    }
  });
  if (bias) e.kernels.addChannelBias(y.ptr, bias.ptr, g.n, g.oc, ohw);
}

/**
 * Backward of {@link conv2d} from the forward's x and w and the output gradient dy. Each of
 * dx, dw, dbias is optional (null skips it) and overwritten: dx [N,C,H,W] = col2im(w^T dy),
 * dw [OC,C,KH,KW] = sum_n dy_n col_n^T, dbias [OC] = sum of dy over N, OH, OW.
 */
export function conv2dBackward(
  x: Tensor,
  w: Tensor,
  dy: Tensor,
  dx: Tensor | null,
  dw: Tensor | null,
  dbias: Tensor | null,
  options: Conv2dOptions = {},
): void {
  const op = 'conv2dBackward';
  sameEngine(op, x, w, dy, dx, dw, dbias);
  for (const [name, t] of [
    ['x', x],
    ['w', w],
    ['dy', dy],
    ['dx', dx],
    ['dw', dw],
    ['dbias', dbias],
  ] as const) {
    if (t) expectDtype(op, name, t, 'float32');
  }
  const g = geometry(op, x.shape, w.shape, options);
  expectShape(
    op,
    'dy',
    dy,
    [g.n, g.oc, g.oh, g.ow],
    `conv of x ${fmt(x.shape)} with w ${fmt(w.shape)}`,
  );
  if (dx) expectShape(op, 'dx', dx, x.shape, 'same as x');
  if (dw) expectShape(op, 'dw', dw, w.shape, 'same as w');
  if (dbias) expectShape(op, 'dbias', dbias, [g.oc], 'one per output channel');
  for (const [name, t] of [
    ['dx', dx],
    ['dw', dw],
    ['dbias', dbias],
  ] as const) {
    if (t) expectNoOverlap(op, name, t, ['x', x], ['w', w], ['dy', dy]);
  }
  const e = x.engine;
  const ckk = g.c * g.kh * g.kw;
  const ohw = g.oh * g.ow;
  const chw = g.c * g.h * g.w;
  if (dbias) e.kernels.channelBiasGrad(dy.ptr, dbias.ptr, g.n, g.oc, ohw);
  if (!dx && !dw) return;
  e.scope(() => {
    const col = e.empty([ckk, ohw]);
    const w2 = w.reshape([g.oc, ckk]);
    const dw2 = dw?.reshape([g.oc, ckk]);
    if (dw2 && g.n === 0) dw2.data.fill(0);
    if (dx) dx.data.fill(0);
    for (let i = 0; i < g.n; i++) {
      const dyi = dy.view(i * g.oc * ohw, [g.oc, ohw]);
      if (dw2) {
        e.kernels.im2col(...colArgs(g, x.ptr + i * chw * 4, col.ptr));
        gemm(dyi, col, dw2, false, true, 1, i === 0 ? 0 : 1);
      }
      if (dx) {
        gemm(w2, dyi, col, true, false);
        e.kernels.col2im(...colArgs(g, col.ptr, dx.ptr + i * chw * 4));
      }
    }
  });
}
