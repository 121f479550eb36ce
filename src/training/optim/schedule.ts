import { z } from 'zod';
import type { JsonObject } from '../../core/json.js';
import type { Pluggable } from '../../core/registry.js';
import { KindRegistry } from '../../core/registry.js';
import { parseConfig } from '../nn/check.js';

/**
 * A learning-rate schedule: a pure function of progress. `lr(base, step, totalSteps)` returns
 * the rate for the 0-based optimizer step `step` out of `totalSteps` (all epochs). No state, so
 * it resumes from a checkpoint's step count alone.
 */
export interface LrSchedule extends Pluggable {
  readonly kind: string;
  toConfig(): JsonObject;
  lr(base: number, step: number, totalSteps: number): number;
}

const Warmup = { warmupSteps: z.number().int().min(0).default(0) };
const warm = (w: number, step: number) => (w > 0 && step < w ? (step + 1) / w : 1);

/** Constant rate, with optional linear warmup. */
class ConstantSchedule implements LrSchedule {
  readonly kind = 'constant';
  private readonly c;
  constructor(config: unknown) {
    this.c = parseConfig('constant schedule', z.object(Warmup).strict(), config);
  }
  toConfig(): JsonObject {
    return { ...this.c };
  }
  lr(base: number, step: number): number {
    return base * warm(this.c.warmupSteps, step);
  }
}

/** Multiplies the rate by `gamma` every `stepSize` steps. */
class StepSchedule implements LrSchedule {
  readonly kind = 'step';
  private readonly c;
  constructor(config: unknown) {
    this.c = parseConfig(
      'step schedule',
      z
        .object({
          ...Warmup,
          stepSize: z.number().int().min(1),
          gamma: z.number().gt(0).default(0.1),
        })
        .strict(),
      config,
    );
  }
  toConfig(): JsonObject {
    return { ...this.c };
  }
  lr(base: number, step: number): number {
    return (
      base * this.c.gamma ** Math.floor(step / this.c.stepSize) * warm(this.c.warmupSteps, step)
    );
  }
}

/** Cosine annealing from the base rate to `minLr` over all steps (after warmup). */
class CosineSchedule implements LrSchedule {
  readonly kind = 'cosine';
  private readonly c;
  constructor(config: unknown) {
    this.c = parseConfig(
      'cosine schedule',
      z.object({ ...Warmup, minLr: z.number().min(0).default(0) }).strict(),
      config,
    );
  }
  toConfig(): JsonObject {
    return { ...this.c };
  }
  lr(base: number, step: number, total: number): number {
    const w = this.c.warmupSteps;
    if (step < w) return base * warm(w, step);
    const t = Math.min(1, (step - w) / Math.max(1, total - w));
    return this.c.minLr + (base - this.c.minLr) * 0.5 * (1 + Math.cos(Math.PI * t));
  }
}

/** Linear decay from the base rate to `endFactor` times it over all steps. */
class LinearSchedule implements LrSchedule {
  readonly kind = 'linear';
  private readonly c;
  constructor(config: unknown) {
    this.c = parseConfig(
      'linear schedule',
      z.object({ ...Warmup, endFactor: z.number().min(0).default(0) }).strict(),
      config,
    );
  }
  toConfig(): JsonObject {
    return { ...this.c };
  }
  lr(base: number, step: number, total: number): number {
    const t = Math.min(1, step / Math.max(1, total));
    return base * (1 + (this.c.endFactor - 1) * t) * warm(this.c.warmupSteps, step);
  }
}

/** Schedules by kind: constant, step, cosine, linear (each with optional `warmupSteps`). */
export const SCHEDULES = new KindRegistry<LrSchedule>('lr schedule')
  .register('constant', (c) => new ConstantSchedule(c))
  .register('step', (c) => new StepSchedule(c))
  .register('cosine', (c) => new CosineSchedule(c))
  .register('linear', (c) => new LinearSchedule(c));
