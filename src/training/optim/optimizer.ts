import type { JsonObject } from '../../core/json.js';
import type { Pluggable } from '../../core/registry.js';
import type { Param } from '../nn/param.js';

/** An optimizer's resumable state: the step count and each param's slot arrays, in param order. */
export interface OptimizerState {
  readonly step: number;
  /** slots[i] are the state arrays (velocity; or m and v) of the i-th param passed to step(). */
  readonly slots: readonly (readonly Float32Array[])[];
}

/**
 * Updates params from their gradients.
 *
 * Contract: `step(params, lr)` applies one update to every trainable param whose gradient was
 * written since its last zeroGrad (fresh gradients are skipped), at learning rate `lr` (the
 * schedule's value; default the configured `lr`), and counts one step. Params must be passed in
 * the same order every call (slots are matched by position and shape; a mismatch is
 * INVALID_ARGUMENT). Slot state lives on the params' engine. `getState`/`setState` round-trip
 * exactly (checkpoints). Not thread-safe.
 */
export interface Optimizer extends Pluggable {
  readonly kind: string;
  /** The configured base learning rate. */
  readonly lr: number;
  /** Steps taken so far. */
  readonly steps: number;
  toConfig(): JsonObject;
  step(params: readonly Param[], lr?: number): void;
  getState(): OptimizerState;
  setState(state: OptimizerState, params: readonly Param[]): void;
  /** Frees slot tensors. */
  dispose(): void;
}
