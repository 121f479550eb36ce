import type { Datatype, TensorMap } from './tensor.js';

/** One input or output of a model: name, data type and shape (-1 = any size, axis 0 = batch). */
export interface TensorSpec {
  readonly name: string;
  readonly datatype: Datatype;
  readonly shape: readonly number[];
}

/** What a model says about itself (KServe V2 model metadata, minus the name and versions). */
export interface ModelSignature {
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  /** Where it runs, e.g. `onnxruntime_onnx` or `mortar`. */
  readonly platform: string;
}

/** Per-call options of {@link Model.infer}. */
export interface InferOptions {
  /** Names of the outputs wanted; all when absent. */
  readonly outputs?: readonly string[];
}

/**
 * A servable model: the contract between the serving engine and whatever computes predictions
 * (an ONNX session on worker threads today; Mortar's own trained models later).
 *
 * Contract:
 * - `signature` is fixed for the life of the object. Axis 0 of every input and output is the
 *   batch axis: `infer` receives inputs whose axis 0 is the batch size `n` (>= 1) and returns
 *   outputs with the same `n` rows, row `i` of each output answering row `i` of the inputs. The
 *   engine concatenates requests into one call and splits the answer, so rows must not influence
 *   each other.
 * - `infer` may be called again before an earlier call settles (the engine bounds concurrency).
 *   It must not mutate or keep its inputs after it settles; it may take ownership of their
 *   buffers (transfer them to another thread), so callers pass tensors they no longer need.
 * - Errors: a bad input rejects with a MortarError `INVALID_ARGUMENT` naming the input; a failure
 *   of the model itself rejects with `INTERNAL`. A rejected call leaves the model usable.
 * - `close` releases resources; it waits for calls in flight, after which `infer` rejects with
 *   `FAILED_PRECONDITION`. Calling it twice is harmless.
 */
export interface Model {
  readonly signature: ModelSignature;
  infer(inputs: TensorMap, opts?: InferOptions): Promise<TensorMap>;
  close(): Promise<void>;
}
