/**
 * A portfolio sampler that picks a strategy per trial from the study's shape (in the spirit of
 * OptunaHub's AutoSampler). The choice is stored on the trial (`auto:sampler`), so a trial is
 * sampled by one strategy from start to end and a resumed study replays the same choices:
 * - several objectives: TPE (multivariate) below `nsga2After` complete trials, then NSGA-II;
 * - one objective, all-numeric unconditional space, fewer than `gpUntil` complete trials: GP-BO;
 * - otherwise: TPE (multivariate, grouped for conditional spaces, constant liar).
 */
import type { Distribution } from '../distributions.js';
import type { StudyView } from '../trial.js';
import { DelegatingSampler } from './delegating.js';
import { GpSampler } from './gp.js';
import { Nsga2Sampler } from './nsga2.js';
import type { Sampler } from './sampler.js';
import { groupDecomposedSearchSpace, mixSeed, resolveSeed } from './search-space.js';
import { TpeSampler } from './tpe.js';

/** Options of {@link AutoSampler}. */
export interface AutoSamplerOptions {
  readonly seed?: number;
  /** Use GP-BO while fewer complete trials than this (default 100; 0 disables GP). */
  readonly gpUntil?: number;
  /** Switch multi-objective studies to NSGA-II from this many complete trials (default 250). */
  readonly nsga2After?: number;
}

type Choice = 'tpe' | 'gp' | 'nsga2';
const TAG = 'auto:sampler';

/**
 * The portfolio sampler.
 * @example new AutoSampler({ seed: 0 })
 */
export class AutoSampler extends DelegatingSampler<Choice> {
  readonly kind = 'auto';
  protected readonly tag = TAG;
  protected readonly fallback = 'tpe';
  readonly seed: number;
  private readonly gpUntil: number;
  private readonly nsga2After: number;
  protected readonly delegates: Record<Choice, Sampler>;

  constructor(opts: AutoSamplerOptions = {}) {
    super();
    this.seed = resolveSeed(opts.seed);
    this.gpUntil = opts.gpUntil ?? 100;
    this.nsga2After = opts.nsga2After ?? 250;
    this.delegates = {
      tpe: new TpeSampler({
        seed: mixSeed(this.seed, 1),
        multivariate: true,
        group: true,
        constantLiar: true,
      }),
      gp: new GpSampler({ seed: mixSeed(this.seed, 2), constantLiar: true }),
      nsga2: new Nsga2Sampler({ seed: mixSeed(this.seed, 3) }),
    };
  }

  toConfig(): Record<string, number> {
    return { seed: this.seed, gpUntil: this.gpUntil, nsga2After: this.nsga2After };
  }

  /** The strategy for a new trial of `study`. */
  choose(study: StudyView): Choice {
    const complete = study.trials(['complete']);
    if (study.directions.length > 1) return complete.length >= this.nsga2After ? 'nsga2' : 'tpe';
    if (complete.length >= this.gpUntil) return 'tpe';
    const groups = groupDecomposedSearchSpace(study, ['complete']);
    const numeric = groups.every((g) =>
      Object.values(g).every((d: Distribution) => d.type !== 'categorical'),
    );
    return groups.length <= 1 && numeric ? 'gp' : 'tpe';
  }

  protected pick(study: StudyView): Choice {
    return this.choose(study);
  }
}
