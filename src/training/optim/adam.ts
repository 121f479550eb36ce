import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import { adamStep, adamwStep, type Tensor } from '../../core/tensor/index.js';
import { parseConfig } from '../nn/check.js';
import type { Param } from '../nn/param.js';
import type { Optimizer, OptimizerState } from './optimizer.js';
import { Slots } from './slots.js';

const schema = (wd: number) =>
  z
    .object({
      lr: z.number().gt(0).default(0.001),
      beta1: z.number().min(0).lt(1).default(0.9),
      beta2: z.number().min(0).lt(1).default(0.999),
      eps: z.number().gt(0).default(1e-8),
      weightDecay: z.number().min(0).default(wd),
    })
    .strict();

/**
 * Adam (L2 weight decay added to the gradient, default 0) or, with `decoupled`, AdamW
 * (decoupled decay p *= 1 - lr wd, default 0.01); PyTorch semantics, in the engine's kernel.
 */
export class Adam implements Optimizer {
  readonly kind: 'adam' | 'adamw';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private count = 0;
  private readonly moments = new Slots(2);

  constructor(config: unknown = {}, decoupled = false) {
    this.kind = decoupled ? 'adamw' : 'adam';
    const c = parseConfig(`${this.kind} optimizer`, schema(decoupled ? 0.01 : 0), config);
    this.lr = c.lr;
    this.beta1 = c.beta1;
    this.beta2 = c.beta2;
    this.eps = c.eps;
    this.weightDecay = c.weightDecay;
  }

  get steps(): number {
    return this.count;
  }

  toConfig(): JsonObject {
    return {
      lr: this.lr,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      weightDecay: this.weightDecay,
    };
  }

  step(params: readonly Param[], lr = this.lr): void {
    this.count++;
    const f = this.kind === 'adamw' ? adamwStep : adamStep;
    const o = {
      lr,
      step: this.count,
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      weightDecay: this.weightDecay,
    };
    params.forEach((p, i) => {
      if (!p.trainable || p.isFresh || !p.grad) return;
      const [m, v] = this.moments.of(params, i) as [Tensor, Tensor];
      f(p.value, p.grad, m, v, o);
    });
  }

  getState(): OptimizerState {
    return this.moments.export(this.count);
  }

  setState(state: OptimizerState, params: readonly Param[]): void {
    this.moments.import(state, params);
    this.count = state.step;
  }

  dispose(): void {
    this.moments.dispose();
  }
}
