import type { JsonObject } from '../../core/json.js';
import type { Pluggable } from '../../core/registry.js';
import type { Tensor } from '../../core/tensor/index.js';

/** A loss target: int32 class indices [N] or float32 values shaped like the output (or [N]). */
export type Target = Tensor<'int32'> | Tensor;

/**
 * A training loss over a batch of network outputs.
 *
 * Contract: `compute(output, target, grad, weights)` returns the (weighted) mean loss over the
 * batch's rows and, when `grad` (output's shape) is given, overwrites it with dLoss/dOutput of
 * that same mean. It does not modify output or target. Per-row `weights` [N] multiply each
 * row's loss and gradient (the mean still divides by N). A target of the wrong dtype or shape is
 * MortarError INVALID_ARGUMENT naming the loss and shapes. Not thread-safe (keeps scratch buffers
 * on the output's engine).
 */
export interface Loss extends Pluggable {
  readonly kind: string;
  toConfig(): JsonObject;
  /** What `target` holds: class indices (int32 [N]) or float32 values. */
  readonly targetKind: 'class' | 'value';
  compute(output: Tensor, target: Target, grad: Tensor | null, weights?: Tensor | null): number;
  /** Frees scratch buffers. */
  dispose(): void;
}
