import { z } from 'zod';
import type { Rng } from '../../core/rng.js';
import { one, type Bandit, type Selection } from './bandit.js';

/** Config of {@link Ucb}. */
export const UcbSchema = z.object({ c: z.number().min(0).max(100).default(1) }).strict();

/**
 * UCB1: plays each model once, then the one maximizing `mean_i + c·sqrt(2 ln t / n_i)`
 * (optimism under uncertainty; deterministic given the feedback). `t` counts updates.
 */
export class Ucb implements Bandit {
  readonly kind = 'ucb';
  readonly c: number;
  private readonly n: number[];
  private readonly sum: number[];
  private t = 0;

  constructor(
    readonly arms: number,
    config: z.input<typeof UcbSchema> = {},
  ) {
    this.c = UcbSchema.parse(config).c;
    this.n = new Array<number>(arms).fill(0);
    this.sum = new Array<number>(arms).fill(0);
  }

  private score(i: number): number {
    const n = this.n[i]!;
    if (n === 0) return Infinity;
    return this.sum[i]! / n + this.c * Math.sqrt((2 * Math.log(Math.max(1, this.t))) / n);
  }

  select(_rng: Rng): Selection {
    let b = 0;
    for (let i = 1; i < this.arms; i++) if (this.score(i) > this.score(b)) b = i;
    return one(b, 1);
  }

  update(s: Selection, rewards: readonly (number | undefined)[]): void {
    s.arms.forEach((arm, k) => {
      const r = rewards[k];
      if (r === undefined) return;
      this.n[arm]!++;
      this.sum[arm]! += r;
      this.t++;
    });
  }

  weights(): number[] {
    const total = this.n.reduce((a, b) => a + b, 0);
    return total === 0 ? this.n.map(() => 1 / this.arms) : this.n.map((v) => v / total);
  }

  toConfig() {
    return { c: this.c };
  }
}
