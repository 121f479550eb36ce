import type { Tensor } from '../../core/tensor/index.js';
import { layerError } from '../nn/check.js';
import type { Target } from './loss.js';

/** Checks a float target against output [N, ...] (or [N] for output [N, 1]); returns rows, row width and values. */
export function valueTarget(
  loss: string,
  output: Tensor,
  target: Target,
  weights: Tensor | null,
): { n: number; width: number; t: Float32Array } {
  const n = output.shape[0] ?? 0;
  const width = n === 0 ? 0 : output.size / n;
  if (target.dtype !== 'float32')
    layerError(
      loss,
      `target must be float32 values, got ${target.dtype} (class indices belong to cross-entropy)`,
    );
  if (target.size !== output.size || (target.shape[0] ?? 0) !== n) {
    layerError(
      loss,
      `target has shape [${target.shape.join(',')}], output has [${output.shape.join(',')}]`,
      {
        target: target.shape,
        output: output.shape,
      },
    );
  }
  if (weights && (weights.shape.length !== 1 || weights.shape[0] !== n)) {
    layerError(
      loss,
      `weights have shape [${weights.shape.join(',')}], expected [${n}] (one per row)`,
    );
  }
  return { n, width, t: (target as Tensor).data };
}
