import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { softmax, type Bandit, type Selection } from './bandit.js';

/** Config of {@link Exp4}. */
export const Exp4Schema = z.object({ eta: z.number().gt(0).max(100).default(0.5) }).strict();

/**
 * Exp4 as Clipper uses it: every member answers and the answers are averaged with weights
 * `w_i/Σw`; a member's loss `1 - r` multiplies its weight by `exp(-η (1 - r))`. Members that did
 * not answer (stragglers) get no update, and the ensemble renormalizes over those that did.
 */
export class Exp4 implements Bandit {
  readonly kind = 'exp4';
  readonly eta: number;
  private readonly logw: number[];

  constructor(
    readonly arms: number,
    config: z.input<typeof Exp4Schema> = {},
  ) {
    this.eta = Exp4Schema.parse(config).eta;
    this.logw = new Array<number>(arms).fill(0);
  }

  select(_rng: Rng): Selection {
    const w = softmax(this.logw);
    return { arms: w.map((_, i) => i), weights: w, probs: w.map(() => 1) };
  }

  update(s: Selection, rewards: readonly (number | undefined)[]): void {
    s.arms.forEach((arm, k) => {
      const r = rewards[k];
      if (r !== undefined) this.logw[arm]! -= this.eta * (1 - r);
    });
  }

  weights(): number[] {
    return softmax(this.logw);
  }

  toConfig() {
    return { eta: this.eta };
  }
}
