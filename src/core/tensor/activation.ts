import { expectDtype, fail, fmt, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

/** Activations the fused bias epilogue knows. GELU is the tanh approximation. */
export type Activation = 'none' | 'relu' | 'gelu' | 'tanh' | 'sigmoid';

/** Kernel codes of {@link Activation}, in kernels/activations.ts order. */
export const ACTIVATION_CODES: Readonly<Record<Activation, number>> = {
  none: 0,
  relu: 1,
  gelu: 2,
  tanh: 3,
  sigmoid: 4,
};

function code(op: string, act: Activation): number {
  const c = ACTIVATION_CODES[act];
  if (c === undefined)
    fail(
      op,
      `unknown activation ${JSON.stringify(act)}; use one of ${Object.keys(ACTIVATION_CODES).join(', ')}`,
    );
  return c;
}

/** [rows, cols] of a tensor whose last axis is `cols` (a scalar-shaped tensor is one row). */
function rowsCols(op: string, x: Tensor): [number, number] {
  if (x.shape.length === 0) fail(op, 'x must have at least one axis, got a scalar');
  const cols = x.shape[x.shape.length - 1] as number;
  return [cols === 0 ? 0 : x.size / cols, cols];
}

function checkSame(op: string, name: string, t: Tensor, x: Tensor): void {
  expectDtype(op, name, t, 'float32');
  if (
    t.size !== x.size ||
    t.shape.length !== x.shape.length ||
    t.shape.some((d, i) => d !== x.shape[i])
  ) {
    fail(op, `${name} has shape ${fmt(t.shape)}, expected x's shape ${fmt(x.shape)}`, {
      [name]: t.shape,
      x: x.shape,
    });
  }
}

function checkBias(op: string, name: string, bias: Tensor | null, cols: number, x: Tensor): void {
  if (!bias) return;
  expectDtype(op, name, bias, 'float32');
  if (bias.shape.length !== 1 || bias.shape[0] !== cols) {
    fail(
      op,
      `${name} has shape ${fmt(bias.shape)}, expected [${cols}] (last axis of x ${fmt(x.shape)})`,
      {
        [name]: bias.shape,
        x: x.shape,
      },
    );
  }
}

/**
 * The fused epilogue y = act(x + bias), bias broadcast over the last axis (null: no bias).
 * y may be x (in place).
 *
 * @example biasActivation(h, b, h, 'gelu');
 */
export function biasActivation(x: Tensor, bias: Tensor | null, y: Tensor, act: Activation): void {
  const op = 'biasActivation';
  sameEngine(op, x, bias, y);
  expectDtype(op, 'x', x, 'float32');
  const [rows, cols] = rowsCols(op, x);
  checkBias(op, 'bias', bias, cols, x);
  checkSame(op, 'y', y, x);
  x.engine.kernels.biasAct(x.ptr, bias ? bias.ptr : 0, y.ptr, rows, cols, code(op, act));
}

/**
 * Backward of {@link biasActivation}, from the forward's input x (z = x + bias is recomputed):
 * dx = dy * act'(z); dbias (optional, overwritten) = sum of dx over all but the last axis.
 * dx may be dy (in place).
 */
export function biasActivationBackward(
  x: Tensor,
  bias: Tensor | null,
  dy: Tensor,
  dx: Tensor,
  dbias: Tensor | null,
  act: Activation,
): void {
  const op = 'biasActivationBackward';
  sameEngine(op, x, bias, dy, dx, dbias);
  expectDtype(op, 'x', x, 'float32');
  const [rows, cols] = rowsCols(op, x);
  checkBias(op, 'bias', bias, cols, x);
  checkBias(op, 'dbias', dbias, cols, x);
  checkSame(op, 'dy', dy, x);
  checkSame(op, 'dx', dx, x);
  x.engine.kernels.biasActBackward(
    x.ptr,
    bias ? bias.ptr : 0,
    dy.ptr,
    dx.ptr,
    dbias ? dbias.ptr : 0,
    rows,
    cols,
    code(op, act),
  );
}
