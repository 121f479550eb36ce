import { expectDtype, expectShape, fail, fmt, sameEngine } from './check.js';
import { pair, type Pair } from './conv.js';
import type { Tensor } from './tensor.js';

/** Geometry of the pooling ops: window (required), stride (default: the window), padding (0). */
export interface Pool2dOptions {
  readonly kernel: Pair;
  readonly stride?: Pair;
  readonly padding?: Pair;
}

type PoolGeometry = readonly [
  planes: number,
  h: number,
  w: number,
  kh: number,
  kw: number,
  sh: number,
  sw: number,
  ph: number,
  pw: number,
  oh: number,
  ow: number,
];

function geometry(
  op: string,
  xShape: readonly number[],
  o: Pool2dOptions,
): { g: PoolGeometry; out: number[] } {
  if (xShape.length !== 4) fail(op, `x must be NCHW (rank 4), got shape ${fmt(xShape)}`);
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [kh, kw] = pair(op, 'kernel', o.kernel, 1, 1);
  const [sh, sw] = pair(op, 'stride', o.stride ?? o.kernel, 1, 1);
  const [ph, pw] = pair(op, 'padding', o.padding, 0, 0);
  if (2 * ph > kh || 2 * pw > kw)
    fail(op, `padding ${ph}x${pw} must be at most half the kernel ${kh}x${kw}`);
  const oh = Math.floor((h + 2 * ph - kh) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - kw) / sw) + 1;
  if (oh < 1 || ow < 1)
    fail(op, `kernel ${kh}x${kw} does not fit input ${fmt(xShape)} with padding ${ph}x${pw}`);
  return { g: [n * c, h, w, kh, kw, sh, sw, ph, pw, oh, ow], out: [n, c, oh, ow] };
}

/** The output shape [N, C, OH, OW] of the pooling ops (floor mode). */
export function pool2dOutputShape(xShape: readonly number[], options: Pool2dOptions): number[] {
  return geometry('pool2dOutputShape', xShape, options).out;
}

/**
 * Max pooling on NCHW: y = window maxima; argmax (int32, y's shape) receives each maximum's
 * flat index within its H*W plane, for {@link maxPool2dBackward}. NaN propagates.
 */
export function maxPool2d(
  x: Tensor,
  y: Tensor,
  argmax: Tensor<'int32'>,
  options: Pool2dOptions,
): void {
  const op = 'maxPool2d';
  sameEngine(op, x, y, argmax);
  expectDtype(op, 'x', x, 'float32');
  expectDtype(op, 'y', y, 'float32');
  expectDtype(op, 'argmax', argmax, 'int32');
  const { g, out } = geometry(op, x.shape, options);
  expectShape(op, 'y', y, out, `pooling x ${fmt(x.shape)}`);
  expectShape(op, 'argmax', argmax, out, 'same as y');
  x.engine.kernels.maxPool(x.ptr, ...g, y.ptr, argmax.ptr);
}

/** Backward of {@link maxPool2d}: dx (x's shape, overwritten) gets dy routed to each argmax. */
export function maxPool2dBackward(dy: Tensor, argmax: Tensor<'int32'>, dx: Tensor): void {
  const op = 'maxPool2dBackward';
  sameEngine(op, dy, argmax, dx);
  expectDtype(op, 'dy', dy, 'float32');
  expectDtype(op, 'dx', dx, 'float32');
  expectDtype(op, 'argmax', argmax, 'int32');
  if (dy.shape.length !== 4 || dx.shape.length !== 4) {
    fail(op, `dy ${fmt(dy.shape)} and dx ${fmt(dx.shape)} must be NCHW (rank 4)`);
  }
  expectShape(op, 'argmax', argmax, dy.shape, 'same as dy');
  if (dx.shape[0] !== dy.shape[0] || dx.shape[1] !== dy.shape[1]) {
    fail(op, `dx ${fmt(dx.shape)} and dy ${fmt(dy.shape)} differ in N or C`);
  }
  const [n, c, h, w] = dx.shape as [number, number, number, number];
  const hw = h * w;
  const ohw = (dy.shape[2] as number) * (dy.shape[3] as number);
  const idx = argmax.data;
  for (let i = 0; i < idx.length; i++) {
    const a = idx[i] as number;
    if (a < -1 || a >= hw) fail(op, `argmax[${i}] = ${a} is outside the ${h}x${w} plane of dx`);
  }
  dy.engine.kernels.maxPoolBackward(dy.ptr, argmax.ptr, n * c, hw, ohw, dx.ptr);
}

/** Average pooling on NCHW; every window divides by kh*kw (zero padding counts). */
export function avgPool2d(x: Tensor, y: Tensor, options: Pool2dOptions): void {
  const op = 'avgPool2d';
  sameEngine(op, x, y);
  expectDtype(op, 'x', x, 'float32');
  expectDtype(op, 'y', y, 'float32');
  const { g, out } = geometry(op, x.shape, options);
  expectShape(op, 'y', y, out, `pooling x ${fmt(x.shape)}`);
  x.engine.kernels.avgPool(x.ptr, ...g, y.ptr);
}

/** Backward of {@link avgPool2d}: dx (the forward x's shape, overwritten). */
export function avgPool2dBackward(dy: Tensor, dx: Tensor, options: Pool2dOptions): void {
  const op = 'avgPool2dBackward';
  sameEngine(op, dy, dx);
  expectDtype(op, 'dy', dy, 'float32');
  expectDtype(op, 'dx', dx, 'float32');
  const { g, out } = geometry(op, dx.shape, options);
  expectShape(op, 'dy', dy, out, `pooling dx ${fmt(dx.shape)}`);
  dy.engine.kernels.avgPoolBackward(dy.ptr, ...g, dx.ptr);
}
