import type { JsonObject } from '../../core/json.js';
import type { Pluggable } from '../../core/registry.js';
import type { Rng } from '../../core/rng.js';
import type { Engine, Tensor } from '../../core/tensor/index.js';
import type { Param } from './param.js';
import type { LayerState } from './state.js';

/** How a forward runs: training mode (dropout active, BatchNorm batch statistics) and its randomness. */
export interface ForwardMode {
  readonly training: boolean;
  /** Randomness for stochastic layers (dropout); required when training with them. */
  readonly rng?: Rng;
}

/**
 * A layer of a {@link Sequential} network. Shapes given to a layer are **per sample** (no batch
 * axis); tensors passed to forward/backward carry the batch as their first axis.
 *
 * Contract:
 * - Lifecycle: constructed from a JSON config (its registry kind + {@link Layer.toConfig}),
 *   then {@link Layer.build} exactly once (allocates params on one engine), then any number of
 *   forward/backward calls, then {@link Layer.dispose}.
 * - `forward(x, state, mode)` returns the output, a tensor owned by `state` (or a view of x);
 *   it stays valid until the next forward with the same state. It records in `state` what the
 *   backward needs; x must stay alive until that backward.
 * - `backward(dy, state, needInputGrad)` must follow a training-mode forward with the same
 *   state. It adds the param gradients per the {@link Param} protocol (overwrite when fresh,
 *   else accumulate) and returns dL/dx (owned by `state`), or null when `needInputGrad` is
 *   false or the input is not differentiable (Embedding indices).
 * - Errors: shape mismatches are MortarError INVALID_ARGUMENT naming the layer and shapes.
 * - Not thread-safe: a layer belongs to one engine (one thread); replicas are built from config.
 */
export interface Layer extends Pluggable {
  readonly kind: string;
  /** The JSON-safe config that rebuilds this layer through the layer registry. */
  toConfig(): JsonObject;
  /** The per-sample output shape for a per-sample input shape; INVALID_ARGUMENT when it does not fit. */
  outputShape(input: readonly number[]): number[];
  /** Allocates and initialises the params for `input` (per sample) on `engine`, drawing from `rng`. */
  build(engine: Engine, input: readonly number[], rng: Rng): void;
  /** The params in a stable order (empty for parameter-free layers). */
  params(): readonly Param[];
  forward(x: Tensor, state: LayerState, mode: ForwardMode): Tensor;
  backward(dy: Tensor, state: LayerState, needInputGrad: boolean): Tensor | null;
  /** Frees the params. */
  dispose(): void;
}

/** Per-sample shape of a batched tensor. */
export function sampleShape(t: Tensor): number[] {
  return t.shape.slice(1);
}
