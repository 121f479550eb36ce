import { MortarError } from '../../core/errors.js';

/**
 * In-memory training data: `n` samples of `sampleShape` (row-major float32) and their targets:
 * class indices (Int32Array [n]) or float values (Float32Array [n * targetWidth]); optional
 * per-sample weights. Immutable by convention; shared read-only with workers.
 */
export interface Dataset {
  readonly n: number;
  readonly x: Float32Array;
  readonly sampleShape: readonly number[];
  readonly y: Int32Array | Float32Array;
  /** Values per target row (1 for class indices and scalar regression). */
  readonly targetWidth: number;
  readonly weights?: Float32Array;
}

/** Checks a dataset's sizes; INVALID_ARGUMENT naming what does not line up. */
export function checkDataset(name: string, d: Dataset, inputShape?: readonly number[]): void {
  const size = d.sampleShape.reduce((a, b) => a * b, 1);
  const fail = (m: string) => {
    throw new MortarError('INVALID_ARGUMENT', `${name}: ${m}`, { details: { dataset: name } });
  };
  if (!Number.isInteger(d.n) || d.n < 0) fail(`n must be an integer >= 0, got ${d.n}`);
  if (d.x.length !== d.n * size)
    fail(`x has ${d.x.length} values, expected ${d.n} samples x ${size} = ${d.n * size}`);
  if (d.y.length !== d.n * d.targetWidth)
    fail(`y has ${d.y.length} values, expected ${d.n} x ${d.targetWidth}`);
  if (d.weights && d.weights.length !== d.n)
    fail(`weights have ${d.weights.length} values, expected ${d.n}`);
  if (
    inputShape &&
    (inputShape.length !== d.sampleShape.length ||
      inputShape.some((v, i) => v !== d.sampleShape[i]))
  ) {
    fail(
      `samples have shape [${d.sampleShape.join(',')}], the network expects [${inputShape.join(',')}]`,
    );
  }
}

/** The rows `idx` of a dataset, copied (e.g. a validation split). */
export function takeRows(d: Dataset, idx: ArrayLike<number>): Dataset {
  const size = d.sampleShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(idx.length * size);
  const y =
    d.y instanceof Int32Array
      ? new Int32Array(idx.length * d.targetWidth)
      : new Float32Array(idx.length * d.targetWidth);
  const w = d.weights ? new Float32Array(idx.length) : undefined;
  for (let i = 0; i < idx.length; i++) {
    const r = idx[i] as number;
    x.set(d.x.subarray(r * size, (r + 1) * size), i * size);
    y.set(d.y.subarray(r * d.targetWidth, (r + 1) * d.targetWidth), i * d.targetWidth);
    if (w && d.weights) w[i] = d.weights[r] as number;
  }
  return {
    n: idx.length,
    x,
    sampleShape: d.sampleShape,
    y,
    targetWidth: d.targetWidth,
    weights: w,
  };
}
