import { expectDtype, expectShape, fail, fmt, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

function rowsCols(op: string, x: Tensor): [number, number] {
  expectDtype(op, 'x', x, 'float32');
  if (x.shape.length !== 2)
    fail(op, `x must be [rows, classes], got shape ${fmt(x.shape)}`, { x: x.shape });
  return x.shape as [number, number];
}

/** Row-wise softmax of a [rows, classes] tensor into y (y may be x). */
export function softmax(x: Tensor, y: Tensor): void {
  const op = 'softmax';
  sameEngine(op, x, y);
  const [rows, cols] = rowsCols(op, x);
  expectShape(op, 'y', y, x.shape);
  x.engine.kernels.softmax(x.ptr, y.ptr, rows, cols);
}

/** Softmax backward from its output y: dx = y * (dy - sum(dy * y)) per row (dx may be dy). */
export function softmaxBackward(y: Tensor, dy: Tensor, dx: Tensor): void {
  const op = 'softmaxBackward';
  sameEngine(op, y, dy, dx);
  const [rows, cols] = rowsCols(op, y);
  expectShape(op, 'dy', dy, y.shape);
  expectShape(op, 'dx', dx, y.shape);
  y.engine.kernels.softmaxBackward(y.ptr, dy.ptr, dx.ptr, rows, cols);
}

/**
 * Cross-entropy targets: int32 class indices [rows] (hard labels) or a float32 [rows, classes]
 * distribution (soft labels; rows need not sum to 1, the loss is sum_c t_c * -log p_c).
 */
export type CrossEntropyTarget = Tensor<'int32'> | Tensor;

/** Options of {@link softmaxCrossEntropy} and its backward. */
export interface CrossEntropyOptions {
  /** Per-row weights [rows] multiplying each row's loss (and gradient). */
  readonly weights?: Tensor | null;
  /** 'mean' (default) divides the weighted sum by rows; 'sum' does not. */
  readonly reduction?: 'mean' | 'sum';
  /** Receives the weighted per-row losses [rows] when given. */
  readonly losses?: Tensor | null;
}

function checkTarget(op: string, target: CrossEntropyTarget, rows: number, cols: number): void {
  if (target.dtype === 'int32') {
    expectShape(op, 'target', target, [rows], 'hard labels: one class index per row of logits');
    const labels = (target as Tensor<'int32'>).data;
    for (let i = 0; i < rows; i++) {
      const c = labels[i] as number;
      if (c < 0 || c >= cols) {
        fail(op, `target[${i}] = ${c} is not a class index in [0, ${cols})`, {
          row: i,
          label: c,
          classes: cols,
        });
      }
    }
  } else {
    expectShape(
      op,
      'target',
      target,
      [rows, cols],
      'soft labels: one distribution per row of logits',
    );
  }
}

/**
 * Fused softmax + cross-entropy. Writes the softmax into probs (needed by the backward) and
 * returns the loss: sum_i w_i * (logsumexp(x_i) - sum_c t_ic x_ic) / (rows for 'mean').
 *
 * @example
 * const loss = softmaxCrossEntropy(logits, labels, probs);
 * softmaxCrossEntropyBackward(probs, labels, dlogits);
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  target: CrossEntropyTarget,
  probs: Tensor,
  options: CrossEntropyOptions = {},
): number {
  const op = 'softmaxCrossEntropy';
  const { weights = null, losses = null, reduction = 'mean' } = options;
  sameEngine(op, logits, target, probs, weights, losses);
  const [rows, cols] = rowsCols(op, logits);
  expectDtype(op, 'probs', probs, 'float32');
  expectShape(op, 'probs', probs, logits.shape);
  checkTarget(op, target, rows, cols);
  for (const [name, t] of [
    ['weights', weights],
    ['losses', losses],
  ] as const) {
    if (!t) continue;
    expectDtype(op, name, t, 'float32');
    expectShape(op, name, t, [rows], `one per row of logits ${fmt(logits.shape)}`);
  }
  const hard = target.dtype === 'int32';
  const total = logits.engine.kernels.softmaxCrossEntropy(
    logits.ptr,
    rows,
    cols,
    hard ? target.ptr : 0,
    hard ? 0 : target.ptr,
    weights ? weights.ptr : 0,
    probs.ptr,
    losses ? losses.ptr : 0,
  );
  return reduction === 'sum' || rows === 0 ? total : total / rows;
}

/**
 * Gradient of {@link softmaxCrossEntropy}'s loss (same target, weights and reduction) with
 * respect to the logits, from the forward's probs: w_i * (sum(t_i) p_i - t_i) / (rows for
 * 'mean'). dlogits may be probs (in place).
 */
export function softmaxCrossEntropyBackward(
  probs: Tensor,
  target: CrossEntropyTarget,
  dlogits: Tensor,
  options: Omit<CrossEntropyOptions, 'losses'> = {},
): void {
  const op = 'softmaxCrossEntropyBackward';
  const { weights = null, reduction = 'mean' } = options;
  sameEngine(op, probs, target, dlogits, weights);
  const [rows, cols] = rowsCols(op, probs);
  expectDtype(op, 'dlogits', dlogits, 'float32');
  expectShape(op, 'dlogits', dlogits, probs.shape);
  checkTarget(op, target, rows, cols);
  if (weights) {
    expectDtype(op, 'weights', weights, 'float32');
    expectShape(op, 'weights', weights, [rows], `one per row of probs ${fmt(probs.shape)}`);
  }
  const hard = target.dtype === 'int32';
  const scale = reduction === 'sum' || rows === 0 ? 1 : 1 / rows;
  probs.engine.kernels.softmaxCrossEntropyBackward(
    probs.ptr,
    rows,
    cols,
    hard ? target.ptr : 0,
    hard ? 0 : target.ptr,
    weights ? weights.ptr : 0,
    scale,
    dlogits.ptr,
  );
}
