import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { one, sample, softmax, type Bandit, type Selection } from './bandit.js';

/** Config of {@link Exp3}. */
export const Exp3Schema = z.object({ gamma: z.number().gt(0).max(1).default(0.1) }).strict();

/**
 * Exp3 (Auer et al.): picks one model with probability `(1-γ) w_i/Σw + γ/K`; a reward `r` for the
 * picked arm multiplies its weight by `exp(γ r/(p_i K))` (importance-weighted). Robust to
 * adversarial, drifting rewards.
 */
export class Exp3 implements Bandit {
  readonly kind = 'exp3';
  readonly gamma: number;
  private readonly logw: number[];

  constructor(
    readonly arms: number,
    config: z.input<typeof Exp3Schema> = {},
  ) {
    this.gamma = Exp3Schema.parse(config).gamma;
    this.logw = new Array<number>(arms).fill(0);
  }

  private probs(): number[] {
    const w = softmax(this.logw);
    return w.map((v) => (1 - this.gamma) * v + this.gamma / this.arms);
  }

  select(rng: Rng): Selection {
    const p = this.probs();
    const i = sample(p, rng);
    return one(i, p[i]!);
  }

  update(s: Selection, rewards: readonly (number | undefined)[]): void {
    s.arms.forEach((arm, k) => {
      const r = rewards[k];
      if (r === undefined) return;
      const p = s.probs[k] ?? 1;
      this.logw[arm]! += (this.gamma * r) / (p * this.arms);
    });
  }

  weights(): number[] {
    return this.probs();
  }

  toConfig() {
    return { gamma: this.gamma };
  }
}
