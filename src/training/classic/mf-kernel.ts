/**
 * The hot loop of matrix factorization, in its own small module so Hogwild worker threads load
 * only this: plain TypeScript on Float64Arrays (which may live on SharedArrayBuffers).
 */
import type { IdMap } from './idmap.js';

/** The arrays one SGD pass updates (what Hogwild workers share). */
export interface MfParams {
  readonly mean: number;
  /** users x rank, row-major. */
  readonly p: Float64Array;
  /** items x rank, row-major. */
  readonly q: Float64Array;
  readonly userBias: Float64Array;
  readonly itemBias: Float64Array;
}

/** The learned parameters of a matrix-factorization model. */
export interface MfState extends MfParams {
  /** Smallest and largest training rating (predictions are clipped to them). */
  readonly min: number;
  readonly max: number;
  readonly userIds: IdMap;
  readonly itemIds: IdMap;
}

/**
 * One SGD pass over the ratings in `order` (indices into u/i/r). The hot loop: plain TypeScript
 * on Float64Arrays, updating biases and factors in place. Returns the sum of squared errors seen.
 */
export function mfSgdEpoch(
  s: MfParams,
  rank: number,
  u: Int32Array,
  i: Int32Array,
  r: Float64Array,
  order: Int32Array,
  lr: number,
  reg: number,
  regBias: number,
): number {
  const { p, q, userBias: bu, itemBias: bi, mean } = s;
  let sse = 0;
  const n = order.length;
  for (let t = 0; t < n; t++) {
    const k = order[t]!;
    const uu = u[k]!;
    const ii = i[k]!;
    const uo = uu * rank;
    const io = ii * rank;
    let dot = 0;
    for (let f = 0; f < rank; f++) dot += p[uo + f]! * q[io + f]!;
    const e = r[k]! - (mean + bu[uu]! + bi[ii]! + dot);
    sse += e * e;
    bu[uu]! += lr * (e - regBias * bu[uu]!);
    bi[ii]! += lr * (e - regBias * bi[ii]!);
    for (let f = 0; f < rank; f++) {
      const pu = p[uo + f]!;
      const qi = q[io + f]!;
      p[uo + f] = pu + lr * (e * qi - reg * pu);
      q[io + f] = qi + lr * (e * pu - reg * qi);
    }
  }
  return sse;
}
