// Argument checks shared by the op wrappers: every failure is a MortarError INVALID_ARGUMENT whose
// message names the op, the argument and the shapes involved.
import { MortarError } from '../errors.js';
import type { DType, Tensor } from './tensor.js';

/** `[2,3]` for messages. */
export function fmt(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}

/** Throws INVALID_ARGUMENT with `op: message` and the shapes as details. */
export function fail(op: string, message: string, details: Record<string, unknown> = {}): never {
  throw new MortarError('INVALID_ARGUMENT', `${op}: ${message}`, { details: { op, ...details } });
}

/** Checks that every tensor is alive and belongs to the first one's engine. */
export function sameEngine(op: string, ...ts: (Tensor<DType> | null | undefined)[]): void {
  let engine: unknown;
  for (const t of ts) {
    if (!t) continue;
    t.assertAlive(op);
    if (engine === undefined) engine = t.engine;
    else if (t.engine !== engine)
      fail(op, 'tensors come from different engines; copy them into one engine first');
  }
}

/** Checks the rank of a tensor. */
export function expectRank(op: string, name: string, t: Tensor<DType>, rank: number): void {
  if (t.shape.length !== rank) {
    fail(op, `${name} must have rank ${rank}, got shape ${fmt(t.shape)}`, { [name]: t.shape });
  }
}

/** Checks a tensor's exact shape; `context` explains where the expectation comes from. */
export function expectShape(
  op: string,
  name: string,
  t: Tensor<DType>,
  shape: readonly number[],
  context = '',
): void {
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    fail(
      op,
      `${name} has shape ${fmt(t.shape)}, expected ${fmt(shape)}${context ? ` (${context})` : ''}`,
      {
        [name]: t.shape,
        expected: shape,
      },
    );
  }
}

/** Checks a tensor's dtype. */
export function expectDtype(op: string, name: string, t: Tensor<DType>, dtype: DType): void {
  if (t.dtype !== dtype)
    fail(op, `${name} must be ${dtype}, got ${t.dtype} with shape ${fmt(t.shape)}`);
}

/** Checks that a number is finite (and optionally > 0, or an integer >= a bound). */
export function expectNumber(
  op: string,
  name: string,
  v: number,
  opts: { positive?: boolean; intMin?: number } = {},
): void {
  if (!Number.isFinite(v)) fail(op, `${name} must be a finite number, got ${v}`);
  if (opts.positive && !(v > 0)) fail(op, `${name} must be > 0, got ${v}`);
  if (opts.intMin !== undefined && (!Number.isInteger(v) || v < opts.intMin)) {
    fail(op, `${name} must be an integer >= ${opts.intMin}, got ${v}`);
  }
}

/** Checks that `out`'s bytes do not overlap any of the inputs' (for ops that cannot run in place). */
export function expectNoOverlap(
  op: string,
  outName: string,
  out: Tensor<DType>,
  ...inputs: [string, Tensor<DType> | null][]
): void {
  const lo = out.ptr;
  const hi = out.ptr + out.size * 4;
  for (const [name, t] of inputs) {
    if (t && t.size > 0 && out.size > 0 && t.ptr < hi && lo < t.ptr + t.size * 4) {
      fail(
        op,
        `${outName} ${fmt(out.shape)} overlaps ${name} ${fmt(t.shape)} in memory; use a separate output tensor`,
      );
    }
  }
}
