import type { SparseRows } from './sparse-logreg.js';

/** What a Hogwild worker starts with: every array on a SharedArrayBuffer. */
export interface HogwildInit {
  readonly x: SparseRows;
  readonly y: Float32Array;
  /** The shared weights every thread updates without locks. */
  readonly w: Float32Array;
  /** The epoch's row order (written by the main thread before each epoch). */
  readonly order: Int32Array;
}

/** One epoch's share of the work: positions start..end of `order`. */
export interface HogwildTask {
  readonly start: number;
  readonly end: number;
  readonly lr: number;
  readonly l2: number;
}

/** The summed loss of the shard, or the error. */
export type HogwildReply = { readonly loss: number } | { readonly error: string };
