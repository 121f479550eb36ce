import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import type { Tensor } from '../../core/tensor/index.js';
import { parseConfig } from '../nn/check.js';
import type { Loss, Target } from './loss.js';
import { valueTarget } from './target.js';

/**
 * Mean squared error: sum over a row's outputs of (y - t)^2, averaged over rows (so for one
 * output it is the usual MSE). Target float32 shaped like the output, or [N] for output [N, 1].
 */
export class MseLoss implements Loss {
  readonly kind = 'mse';
  readonly targetKind = 'value';
  constructor(config: unknown = {}) {
    parseConfig('mse loss', z.object({}).strict(), config);
  }
  toConfig(): JsonObject {
    return {};
  }
  compute(
    output: Tensor,
    target: Target,
    grad: Tensor | null,
    weights: Tensor | null = null,
  ): number {
    const { n, width, t } = valueTarget('mse', output, target, weights);
    const y = output.data;
    const g = grad?.data;
    const w = weights?.data;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? (w[i] as number) : 1;
      for (let j = i * width; j < (i + 1) * width; j++) {
        const d = (y[j] as number) - (t[j] as number);
        total += wi * d * d;
        if (g) g[j] = (2 * wi * d) / n;
      }
    }
    return n === 0 ? 0 : total / n;
  }
  dispose(): void {}
}
