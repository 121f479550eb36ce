import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { one, type Bandit, type Selection } from './bandit.js';

/** Config of {@link EpsilonGreedy}. */
export const EpsilonGreedySchema = z
  .object({ epsilon: z.number().min(0).max(1).default(0.1) })
  .strict();

/**
 * Epsilon-greedy: with probability ε a uniformly random model, else the one with the best mean
 * reward so far (ties: the lowest index; unplayed arms count as mean 1, so each gets tried).
 */
export class EpsilonGreedy implements Bandit {
  readonly kind = 'epsilon-greedy';
  readonly epsilon: number;
  private readonly n: number[];
  private readonly sum: number[];

  constructor(
    readonly arms: number,
    config: z.input<typeof EpsilonGreedySchema> = {},
  ) {
    this.epsilon = EpsilonGreedySchema.parse(config).epsilon;
    this.n = new Array<number>(arms).fill(0);
    this.sum = new Array<number>(arms).fill(0);
  }

  private mean(i: number): number {
    return this.n[i]! === 0 ? 1 : this.sum[i]! / this.n[i]!;
  }

  private best(): number {
    let b = 0;
    for (let i = 1; i < this.arms; i++) if (this.mean(i) > this.mean(b)) b = i;
    return b;
  }

  select(rng: Rng): Selection {
    const b = this.best();
    if (rng.float() < this.epsilon) {
      const i = rng.int(0, this.arms - 1);
      return one(i, this.epsilon / this.arms + (i === b ? 1 - this.epsilon : 0));
    }
    return one(b, 1 - this.epsilon + this.epsilon / this.arms);
  }

  update(s: Selection, rewards: readonly (number | undefined)[]): void {
    s.arms.forEach((arm, k) => {
      const r = rewards[k];
      if (r === undefined) return;
      this.n[arm]!++;
      this.sum[arm]! += r;
    });
  }

  weights(): number[] {
    const b = this.best();
    return this.n.map((_, i) => this.epsilon / this.arms + (i === b ? 1 - this.epsilon : 0));
  }

  toConfig() {
    return { epsilon: this.epsilon };
  }
}
