import { expectDtype, expectNumber, expectShape, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

function sameAs(op: string, p: Tensor, ...named: [string, Tensor][]): void {
  sameEngine(op, p, ...named.map(([, t]) => t));
  expectDtype(op, 'param', p, 'float32');
  for (const [name, t] of named) {
    expectDtype(op, name, t, 'float32');
    expectShape(op, name, t, p.shape, 'same as param');
  }
}

/** Hyper-parameters of {@link sgdStep}. */
export interface SgdOptions {
  readonly lr: number;
  /** Momentum mu (default 0: plain SGD). */
  readonly momentum?: number;
  /** L2 penalty added to the gradient (default 0). */
  readonly weightDecay?: number;
  /** Nesterov momentum (default false). */
  readonly nesterov?: boolean;
}

/**
 * One SGD step in place (PyTorch semantics, no dampening): g' = g + wd p; v = mu v + g';
 * p -= lr (nesterov ? g' + mu v : v). `velocity` starts at zeros.
 */
export function sgdStep(param: Tensor, grad: Tensor, velocity: Tensor, options: SgdOptions): void {
  const op = 'sgdStep';
  sameAs(op, param, ['grad', grad], ['velocity', velocity]);
  const { lr, momentum = 0, weightDecay = 0, nesterov = false } = options;
  expectNumber(op, 'lr', lr);
  expectNumber(op, 'momentum', momentum);
  expectNumber(op, 'weightDecay', weightDecay);
  param.engine.kernels.sgdMomentum(
    param.ptr,
    grad.ptr,
    velocity.ptr,
    param.size,
    lr,
    momentum,
    weightDecay,
    nesterov ? 1 : 0,
  );
}

/** Hyper-parameters of {@link adamStep} and {@link adamwStep}. */
export interface AdamOptions {
  readonly lr: number;
  /** 1-based step count, for the bias corrections. */
  readonly step: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  /** Adam: L2 added to the gradient; AdamW: decoupled decay p *= 1 - lr wd. */
  readonly weightDecay?: number;
}

function adamLike(
  op: string,
  decoupled: boolean,
  p: Tensor,
  g: Tensor,
  m: Tensor,
  v: Tensor,
  o: AdamOptions,
  wdDefault: number,
): void {
  sameAs(op, p, ['grad', g], ['m', m], ['v', v]);
  const { lr, step, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = wdDefault } = o;
  expectNumber(op, 'lr', lr);
  expectNumber(op, 'step', step, { intMin: 1 });
  expectNumber(op, 'beta1', beta1);
  expectNumber(op, 'beta2', beta2);
  expectNumber(op, 'eps', eps);
  expectNumber(op, 'weightDecay', weightDecay);
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  p.engine.kernels.adam(
    p.ptr,
    g.ptr,
    m.ptr,
    v.ptr,
    p.size,
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    decoupled ? 1 : 0,
    bc1,
    bc2,
  );
}

/**
 * One Adam step in place (PyTorch semantics; weightDecay default 0 is an L2 term added to the
 * gradient). m and v start at zeros; `step` counts from 1.
 */
export function adamStep(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamOptions,
): void {
  adamLike('adamStep', false, param, grad, m, v, options, 0);
}

/** One AdamW step in place: decoupled weight decay (default 0.01), otherwise as {@link adamStep}. */
export function adamwStep(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  options: AdamOptions,
): void {
  adamLike('adamwStep', true, param, grad, m, v, options, 0.01);
}
