import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { Rng } from '../../core/rng.js';
import { normalize, one, sample, type Bandit, type Selection } from './bandit.js';

/** Config of {@link Split}: a percentage per member, in member order. */
export const SplitSchema = z.object({ percent: z.array(z.number().min(0).max(100)) }).strict();

/**
 * Canary and A/B splits: each request goes to one member with fixed probabilities (e.g. 90/10
 * for a canary). Feedback does not move the split; `weights` reports the split itself.
 */
export class Split implements Bandit {
  readonly kind = 'split';
  private readonly p: number[];

  constructor(
    readonly arms: number,
    config: z.input<typeof SplitSchema>,
  ) {
    const { percent } = SplitSchema.parse(config);
    const total = percent.reduce((a, b) => a + b, 0);
    if (percent.length !== arms || Math.abs(total - 100) > 1e-6) {
      throw new MortarError(
        'INVALID_CONFIG',
        `split: percent must list one share per member (${arms}) adding up to 100, got [${percent.join(', ')}]`,
        { details: { percent, members: arms } },
      );
    }
    this.p = normalize(percent);
  }

  select(rng: Rng): Selection {
    const i = sample(this.p, rng);
    return one(i, this.p[i]!);
  }

  update(): void {}

  weights(): number[] {
    return [...this.p];
  }

  toConfig() {
    return { percent: this.p.map((v) => v * 100) };
  }
}
