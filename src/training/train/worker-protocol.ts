import type { compileKernels } from '../../core/tensor/index.js';
import type { ModelRecipe } from '../models/recipe.js';
import type { Dataset } from './dataset.js';

/**
 * What a training worker starts with (structured-cloned once). The data arrays, the weights and
 * this worker's gradient slot live on SharedArrayBuffers: no per-step copies through messages.
 */
export interface WorkerInit {
  /** The compiled kernels (a structured-cloneable WebAssembly.Module). */
  readonly module: Awaited<ReturnType<typeof compileKernels>>;
  readonly recipe: ModelRecipe;
  readonly data: Dataset;
  /** Every param's values, concatenated in namedParams order (written by the main thread per step). */
  readonly weights: Float32Array;
  /** This worker's trainable gradients, concatenated in trainableParams order (written by the worker). */
  readonly grads: Float32Array;
}

/** One shard to compute: its rows and the dropout rng state. */
export interface WorkerTask {
  readonly idx: Int32Array;
  readonly rng: readonly number[];
}

/** A shard's result (its gradients are in the worker's shared slot). */
export type WorkerReply =
  | { readonly lossSum: number; readonly correct: number; readonly rows: number }
  | { readonly error: string };
