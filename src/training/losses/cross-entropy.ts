import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import {
  softmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  type Tensor,
} from '../../core/tensor/index.js';
import { layerError, parseConfig } from '../nn/check.js';
import { LayerState } from '../nn/state.js';
import type { Loss, Target } from './loss.js';

const CrossEntropyConfig = z
  .object({
    /** Per-class weights (length = classes), multiplied into each row's weight by its label. */
    classWeights: z.array(z.number().min(0)).optional(),
    /** Label smoothing epsilon in [0, 1): hard labels become (1-eps) one-hot + eps/K. */
    labelSmoothing: z.number().min(0).lt(1).default(0),
  })
  .strict();

/**
 * Softmax cross-entropy on logits [N, K], fused in one kernel. Targets: int32 class indices [N]
 * (hard labels), or float32 [N, K] distributions (soft labels, e.g. a label model's
 * probabilistic output). Optional per-row weights and per-class weights (weighted CE).
 */
export class CrossEntropyLoss implements Loss {
  readonly kind = 'cross-entropy';
  readonly targetKind = 'class';
  readonly classWeights: number[] | undefined;
  readonly labelSmoothing: number;
  private scratch: LayerState | null = null;

  constructor(config: unknown = {}) {
    const c = parseConfig('cross-entropy loss', CrossEntropyConfig, config);
    this.classWeights = c.classWeights;
    this.labelSmoothing = c.labelSmoothing;
  }

  toConfig(): JsonObject {
    return {
      ...(this.classWeights ? { classWeights: this.classWeights } : {}),
      labelSmoothing: this.labelSmoothing,
    };
  }

  compute(
    output: Tensor,
    target: Target,
    grad: Tensor | null,
    weights: Tensor | null = null,
  ): number {
    if (output.shape.length !== 2)
      layerError(
        'cross-entropy',
        `output must be logits [N, classes], got [${output.shape.join(',')}]`,
      );
    const [n, k] = output.shape as [number, number];
    const s = (this.scratch ??= new LayerState(output.engine));
    let w = weights;
    let t: Target = target;
    if (this.classWeights && target.dtype === 'int32') {
      if (this.classWeights.length !== k) {
        layerError(
          'cross-entropy',
          `classWeights has ${this.classWeights.length} entries, the output has ${k} classes`,
        );
      }
      const cw = this.classWeights;
      const wt = s.buffer('w', [n]);
      const wd = wt.data;
      const labels = target.data;
      const given = weights?.data;
      for (let i = 0; i < n; i++)
        wd[i] = (cw[labels[i] as number] ?? 1) * (given ? (given[i] as number) : 1);
      w = wt;
    }
    if (this.labelSmoothing > 0 && target.dtype === 'int32') {
      const soft = s.buffer('soft', [n, k]);
      const sd = soft.data;
      const labels = target.data;
      const eps = this.labelSmoothing;
      sd.fill(eps / k);
      for (let i = 0; i < n; i++) {
        const c = labels[i] as number;
        if (c < 0 || c >= k)
          layerError('cross-entropy', `target[${i}] = ${c} is not a class index in [0, ${k})`);
        sd[i * k + c] = 1 - eps + eps / k;
      }
      t = soft;
    }
    const probs = s.buffer('probs', [n, k]);
    const loss = softmaxCrossEntropy(output, t, probs, { weights: w });
    if (grad) softmaxCrossEntropyBackward(probs, t, grad, { weights: w });
    return loss;
  }

  dispose(): void {
    this.scratch?.dispose();
    this.scratch = null;
  }
}
