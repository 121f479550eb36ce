import {
  expectDtype,
  expectNoOverlap,
  expectNumber,
  expectRank,
  fail,
  fmt,
  sameEngine,
} from './check.js';
import { ACTIVATION_CODES, type Activation } from './activation.js';
import type { Tensor } from './tensor.js';

/**
 * A bias + activation applied to C inside {@link gemm}, block by block while C is in cache:
 * C = act(alpha op(A) op(B) + beta C + bias), bias [n] broadcast over rows.
 */
export interface GemmEpilogue {
  /** [n] per-column bias, or null/absent for none. */
  readonly bias?: Tensor | null;
  /** Default 'none'. */
  readonly activation?: Activation;
}

/**
 * C = alpha * op(A) * op(B) + beta * C on 2-D row-major tensors, op(X) = transX ? X^T : X.
 * Blocked and packed, with a 4x8 WebAssembly SIMD micro-kernel (see README.md). beta = 0
 * overwrites C (NaN in C does not leak through). C must not overlap A or B.
 *
 * An `epilogue` fuses a bias and activation into the same pass (a Linear layer's forward in one
 * call). It does not keep the pre-activation, so training code whose activation backward needs
 * it (GELU) calls gemm and then {@link biasActivation} instead.
 *
 * @example
 * gemm(x, w, y);                 // y = x w
 * gemm(dy, w, dx, false, true);  // dx = dy w^T
 * gemm(x, dy, dw, true, false, 1, 1); // dw += x^T dy
 * @throws MortarError INVALID_ARGUMENT naming the shapes when they do not line up.
 */
export function gemm(
  a: Tensor,
  b: Tensor,
  c: Tensor,
  transA = false,
  transB = false,
  alpha = 1,
  beta = 0,
  epilogue?: GemmEpilogue,
): void {
  const op = 'gemm';
  sameEngine(op, a, b, c);
  for (const [name, t] of [
    ['A', a],
    ['B', b],
    ['C', c],
  ] as const) {
    expectRank(op, name, t, 2);
    expectDtype(op, name, t, 'float32');
  }
  expectNumber(op, 'alpha', alpha);
  expectNumber(op, 'beta', beta);
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [k2, n] = transB ? [bc, br] : [br, bc];
  const shapes = { A: a.shape, B: b.shape, C: c.shape, transA, transB };
  const desc = `op(A) ${fmt([m, k])} from A ${fmt(a.shape)}${transA ? '^T' : ''}, op(B) ${fmt([k2, n])} from B ${fmt(b.shape)}${transB ? '^T' : ''}`;
  if (k !== k2) fail(op, `inner dimensions differ: ${desc}`, shapes);
  if (c.shape[0] !== m || c.shape[1] !== n) {
    fail(op, `C has shape ${fmt(c.shape)}, expected ${fmt([m, n])} (${desc})`, shapes);
  }
  expectNoOverlap(op, 'C', c, ['A', a], ['B', b]);
  let act = -1;
  const bias = epilogue?.bias ?? null;
  if (epilogue) {
    const name = epilogue.activation ?? 'none';
    const code = ACTIVATION_CODES[name];
    if (code === undefined) fail(op, `unknown activation ${JSON.stringify(name)} in epilogue`);
    act = code;
    if (bias) {
      sameEngine(op, a, bias);
      expectDtype(op, 'bias', bias, 'float32');
      if (bias.shape.length !== 1 || bias.shape[0] !== n) {
        fail(
          op,
          `epilogue bias has shape ${fmt(bias.shape)}, expected [${n}] (columns of C ${fmt(c.shape)})`,
          shapes,
        );
      }
      expectNoOverlap(op, 'C', c, ['bias', bias]);
    }
  }
  const kern = a.engine.kernels;
  kern.gemm(
    +transA,
    +transB,
    m,
    n,
    k,
    alpha,
    a.ptr,
    ac,
    b.ptr,
    bc,
    beta,
    c.ptr,
    n,
    bias ? bias.ptr : 0,
    act,
  );
}
