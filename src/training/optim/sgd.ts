import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import { sgdStep, type Tensor } from '../../core/tensor/index.js';
import { parseConfig } from '../nn/check.js';
import type { Param } from '../nn/param.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { Slots } from './slots.js';

const SgdConfig = z
  .object({
    lr: z.number().gt(0).default(0.01),
    momentum: z.number().min(0).lt(1).default(0),
    nesterov: z.boolean().default(false),
    /** L2 penalty added to the gradient. */
    weightDecay: z.number().min(0).default(0),
  })
  .strict();

/** SGD with optional (Nesterov) momentum and L2 weight decay, PyTorch semantics, in the engine's kernel. */
export class Sgd implements Optimizer {
  readonly kind = 'sgd';
  readonly lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  private count = 0;
  private readonly velocity = new Slots(1);

  constructor(config: unknown = {}) {
    const c = parseConfig('sgd optimizer', SgdConfig, config);
    this.lr = c.lr;
    this.momentum = c.momentum;
    this.nesterov = c.nesterov;
    this.weightDecay = c.weightDecay;
  }

  get steps(): number {
    return this.count;
  }

  toConfig(): JsonObject {
    return {
      lr: this.lr,
      momentum: this.momentum,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
    };
  }

  step(params: readonly Param[], lr = this.lr): void {
    this.count++;
    params.forEach((p, i) => {
      if (!p.trainable || p.isFresh || !p.grad) return;
      const [v] = this.velocity.of(params, i) as [Tensor];
      sgdStep(p.value, p.grad, v, {
        lr,
        momentum: this.momentum,
        weightDecay: this.weightDecay,
        nesterov: this.nesterov,
      });
    });
  }

  getState(): OptimizerState {
    return this.velocity.export(this.count);
  }

  setState(state: OptimizerState, params: readonly Param[]): void {
    this.velocity.import(state, params);
    this.count = state.step;
  }

  dispose(): void {
    this.velocity.dispose();
  }
}
