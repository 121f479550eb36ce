import { expectDtype, expectRank, expectShape, sameEngine } from './check.js';
import type { Tensor } from './tensor.js';

/** Column sums of a [rows, cols] tensor: out[j] = sum_i x[i, j] (out [cols], overwritten). */
export function sumAxis0(x: Tensor, out: Tensor): void {
  const op = 'sumAxis0';
  sameEngine(op, x, out);
  expectRank(op, 'x', x, 2);
  expectDtype(op, 'x', x, 'float32');
  const [rows, cols] = x.shape as [number, number];
  expectShape(op, 'out', out, [cols], `column sums of x ${JSON.stringify(x.shape)}`);
  x.engine.kernels.sumAxis0(x.ptr, rows, cols, out.ptr);
}

/** Row sums of a [rows, cols] tensor: out[i] = sum_j x[i, j] (out [rows], overwritten). */
export function sumAxis1(x: Tensor, out: Tensor): void {
  const op = 'sumAxis1';
  sameEngine(op, x, out);
  expectRank(op, 'x', x, 2);
  expectDtype(op, 'x', x, 'float32');
  const [rows, cols] = x.shape as [number, number];
  expectShape(op, 'out', out, [rows], `row sums of x ${JSON.stringify(x.shape)}`);
  x.engine.kernels.sumAxis1(x.ptr, rows, cols, out.ptr);
}

/** The sum of every element (accumulated in float64 across SIMD blocks). */
export function sum(x: Tensor): number {
  sameEngine('sum', x);
  expectDtype('sum', 'x', x, 'float32');
  return x.engine.kernels.sumAll(x.ptr, x.size);
}
