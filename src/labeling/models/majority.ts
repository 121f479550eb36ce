import { z } from 'zod';
import type { LabelMatrix } from '../matrix.js';
import { baseState, checkPredict, setupFit } from './common.js';
import type { FitOptions, LabelModel, LabelModelState, TiePolicy } from './label-model.js';

/** Config of {@link MajorityVote}. */
export const MajorityVoteConfig = z.object({
  cardinality: z.number().int().min(2).optional(),
  /** How hard labels break ties (default `abstain`, Snorkel's default). */
  tiePolicy: z.enum(['abstain', 'random', 'prior', 'lowest']).default('abstain'),
});

/**
 * Majority vote: P(y | votes) = share of the row's votes for y (tied classes share equally; a
 * row without votes gets the class balance — uniform unless given). Ties become hard labels
 * through the explicit `tiePolicy`. Learns nothing, so it is the baseline every model must beat.
 */
export class MajorityVote implements LabelModel {
  readonly kind = 'majority';
  readonly supportsCorrelations = false;
  readonly tiePolicy: TiePolicy;
  cardinality = 0;
  classBalance: readonly number[] = [];
  private lfNames: readonly string[] = [];
  private readonly config: z.infer<typeof MajorityVoteConfig>;

  constructor(config: z.input<typeof MajorityVoteConfig> = {}) {
    this.config = MajorityVoteConfig.parse(config);
    this.tiePolicy = this.config.tiePolicy;
  }

  fit(L: LabelMatrix, opts: FitOptions = {}): this {
    const s = setupFit(this, L, opts, this.config.cardinality, 'uniform');
    this.cardinality = s.k;
    this.classBalance = [...s.balance];
    this.lfNames = L.lfNames;
    return this;
  }

  predictProba(L: LabelMatrix): Float64Array {
    checkPredict(this, this.lfNames, L);
    const k = this.cardinality;
    const out = new Float64Array(L.n * k);
    const counts = new Float64Array(k);
    for (let i = 0; i < L.n; i++) {
      const s = L.rowPtr[i]!;
      const e = L.rowPtr[i + 1]!;
      const o = i * k;
      if (s === e) {
        for (let y = 0; y < k; y++) out[o + y] = this.classBalance[y]!;
        continue;
      }
      counts.fill(0);
      for (let p = s; p < e; p++) counts[L.labels[p]!]!++;
      for (let y = 0; y < k; y++) out[o + y] = counts[y]! / (e - s);
    }
    return out;
  }

  toJSON(): LabelModelState {
    return baseState(this, { ...this.config }, this.lfNames, {});
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static restore(state: LabelModelState): MajorityVote {
    const m = new MajorityVote(state.config as z.input<typeof MajorityVoteConfig>);
    m.cardinality = state.cardinality;
    m.classBalance = state.classBalance;
    m.lfNames = state.lfNames;
    return m;
  }
}
