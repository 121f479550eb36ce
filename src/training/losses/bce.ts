import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import type { Tensor } from '../../core/tensor/index.js';
import { parseConfig } from '../nn/check.js';
import type { Loss, Target } from './loss.js';
import { valueTarget } from './target.js';

const BceConfig = z
  .object({
    /** Weight of positive examples (pos_weight), for imbalanced data; default 1. */
    positiveWeight: z.number().gt(0).default(1),
  })
  .strict();

/**
 * Binary cross-entropy on logits (sigmoid fused, numerically stable): per element
 * -[pw t log s(z) + (1-t) log(1-s(z))], summed over a row's outputs and averaged over rows.
 * Targets in [0, 1] (hard 0/1 or soft probabilities), shaped like the output or [N] for [N, 1].
 */
export class BceLoss implements Loss {
  readonly kind = 'bce';
  readonly targetKind = 'value';
  readonly positiveWeight: number;
  constructor(config: unknown = {}) {
    this.positiveWeight = parseConfig('bce loss', BceConfig, config).positiveWeight;
  }
  toConfig(): JsonObject {
    return { positiveWeight: this.positiveWeight };
  }
  compute(
    output: Tensor,
    target: Target,
    grad: Tensor | null,
    weights: Tensor | null = null,
  ): number {
    const { n, width, t } = valueTarget('bce', output, target, weights);
    const z = output.data;
    const g = grad?.data;
    const w = weights?.data;
    const pw = this.positiveWeight;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? (w[i] as number) : 1;
      for (let j = i * width; j < (i + 1) * width; j++) {
        const x = z[j] as number;
        const y = t[j] as number;
        // log(1 + e^-|x|) keeps both branches finite
        const softplusNeg = Math.log1p(Math.exp(-Math.abs(x)));
        const logSig = Math.min(x, 0) - softplusNeg; // log s(x)
        const logOneMinus = Math.min(-x, 0) - softplusNeg; // log(1 - s(x))
        total += -wi * (pw * y * logSig + (1 - y) * logOneMinus);
        if (g) {
          const s = 1 / (1 + Math.exp(-x));
          g[j] = (wi * (pw * y * (s - 1) + (1 - y) * s)) / n;
        }
      }
    }
    return n === 0 ? 0 : total / n;
  }
  dispose(): void {}
}
