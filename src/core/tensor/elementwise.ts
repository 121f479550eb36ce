import { expectDtype, expectNumber, expectShape, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

/** Checks that every tensor is float32 and shaped like the first (named) one. */
function same(op: string, [refName, ref]: [string, Tensor], ...named: [string, Tensor][]): void {
  sameEngine(op, ref, ...named.map(([, t]) => t));
  expectDtype(op, refName, ref, 'float32');
  for (const [name, t] of named) {
    expectDtype(op, name, t, 'float32');
    expectShape(op, name, t, ref.shape);
  }
}

/** out = a + b, elementwise, same shapes (out may be a or b). */
export function add(a: Tensor, b: Tensor, out: Tensor): void {
  same('add', ['a', a], ['b', b], ['out', out]);
  a.engine.kernels.add(a.ptr, b.ptr, out.ptr, a.size);
}

/** out = a * b, elementwise, same shapes (out may be a or b). */
export function mul(a: Tensor, b: Tensor, out: Tensor): void {
  same('mul', ['a', a], ['b', b], ['out', out]);
  a.engine.kernels.mul(a.ptr, b.ptr, out.ptr, a.size);
}

/** out = s * a (out may be a). */
export function scale(a: Tensor, s: number, out: Tensor): void {
  expectNumber('scale', 's', s);
  same('scale', ['a', a], ['out', out]);
  a.engine.kernels.scale(a.ptr, s, out.ptr, a.size);
}

/** y += alpha * x, same shapes (BLAS axpy). */
export function axpy(alpha: number, x: Tensor, y: Tensor): void {
  expectNumber('axpy', 'alpha', alpha);
  same('axpy', ['x', x], ['y', y]);
  x.engine.kernels.axpy(alpha, x.ptr, y.ptr, x.size);
}

/** Sets every element of x to v. */
export function fill(x: Tensor, v: number): void {
  sameEngine('fill', x);
  expectDtype('fill', 'x', x, 'float32');
  x.engine.kernels.fill(x.ptr, v, x.size);
}
