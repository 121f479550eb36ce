/**
 * The default sampler: a portfolio that allocates each trial to GP-BO, TPE or CMA-ES by the
 * shape of the space, the budget, and the progress each arm has made in this study.
 *
 * - **Start:** the first `nStartup` trials are scrambled Sobol points (shared by every arm).
 * - **Eligible arms:** TPE always (multivariate, grouped for conditional spaces, constant liar);
 *   GP-BO for one-group spaces while fewer than `gpUntil` trials are complete (fitted on at most
 *   `gpMaxPoints` trials, so a suggestion stays affordable; a TuRBO trust region from 5 numeric
 *   dimensions on); CMA-ES for unconditional spaces with
 *   at least two numeric parameters, warm-started at the best trial so far, while enough budget
 *   is left for a few generations.
 * - **Priors** by space and budget: GP leads numeric spaces, TPE leads categorical and
 *   conditional ones, and CMA-ES's share ramps up in the second half of a known budget (it wins
 *   smooth problems at large budgets).
 * - **Progress:** each arm's recent trials are scored by rank (1 = best so far, 0 = worst) and
 *   improvements of the study's best; the allocation probability is prior x (0.1 + score)^2.
 * - **Several objectives:** TPE (MOTPE) below `nsga2After` complete trials, then NSGA-II.
 *
 * The arm is stored on the trial (`portfolio:arm`) and the draw is seeded by the trial number, so
 * the allocation is a function of the trials: a resumed study makes the same choices (the arms'
 * own random streams and GP hyperparameter warm starts are not replayed).
 */
import { Rng } from '../../core/rng.js';
import type { Distribution } from '../distributions.js';
import { compareTrials } from '../ranking.js';
import type { FrozenTrial, StudyView } from '../trial.js';
import { CmaEsSampler } from './cmaes.js';
import { GpSampler } from './gp.js';
import { DelegatingSampler } from './delegating.js';
import { Nsga2Sampler } from './nsga2.js';
import type { Sampler } from './sampler.js';
import { groupDecomposedSearchSpace, mixSeed, resolveSeed } from './search-space.js';
import { SobolSampler } from './sobol.js';
import { TpeSampler } from './tpe.js';

/** Options of {@link PortfolioSampler}. */
export interface PortfolioSamplerOptions {
  readonly seed?: number;
  /** The number of trials the study will run, when known (improves the allocation). */
  readonly budget?: number;
  /** Sobol trials before any model (default: 10, or budget / 10 for budgets below 100, min 5). */
  readonly nStartup?: number;
  /** GP-BO is eligible while fewer trials than this are complete (default 300). */
  readonly gpUntil?: number;
  /** GP-BO fits at most this many trials (default 100). */
  readonly gpMaxPoints?: number;
  /** Multi-objective studies switch from TPE to NSGA-II at this many complete trials (default 250). */
  readonly nsga2After?: number;
}

/** The arms of the portfolio. */
export type PortfolioArm = 'sobol' | 'gp' | 'tpe' | 'cmaes' | 'nsga2';
const TAG = 'portfolio:arm';
const WINDOW = 8;

/**
 * The portfolio sampler (the default of `Study.create`).
 * @example new PortfolioSampler({ seed: 0, budget: 100 })
 */
export class PortfolioSampler extends DelegatingSampler<PortfolioArm> {
  readonly kind = 'portfolio';
  protected readonly tag = TAG;
  protected readonly fallback = 'tpe';
  readonly seed: number;
  readonly budget: number | undefined;
  private readonly nStartup: number;
  private readonly gpUntil: number;
  private readonly gpMaxPoints: number;
  private readonly nsga2After: number;
  protected readonly delegates: Record<PortfolioArm, Sampler>;

  constructor(opts: PortfolioSamplerOptions = {}) {
    super();
    this.seed = resolveSeed(opts.seed);
    this.budget = opts.budget;
    this.nStartup =
      opts.nStartup ??
      (opts.budget !== undefined && opts.budget < 100
        ? Math.max(5, Math.round(opts.budget / 10))
        : 10);
    this.gpUntil = opts.gpUntil ?? 300;
    this.gpMaxPoints = opts.gpMaxPoints ?? 100;
    this.nsga2After = opts.nsga2After ?? 250;
    this.delegates = {
      sobol: new SobolSampler({ seed: mixSeed(this.seed, 1) }),
      gp: new GpSampler({
        seed: mixSeed(this.seed, 2),
        constantLiar: true,
        nStartupTrials: 0,
        maxPoints: this.gpMaxPoints,
        maxTrials: this.gpUntil,
        trustRegionFromDims: 5,
      }),
      tpe: new TpeSampler({
        seed: mixSeed(this.seed, 3),
        multivariate: true,
        group: true,
        constantLiar: true,
        nStartupTrials: 0,
      }),
      cmaes: new CmaEsSampler({ seed: mixSeed(this.seed, 4), warmStart: true }),
      nsga2: new Nsga2Sampler({ seed: mixSeed(this.seed, 5) }),
    };
  }

  toConfig(): Record<string, number> {
    return {
      seed: this.seed,
      ...(this.budget !== undefined ? { budget: this.budget } : {}),
      nStartup: this.nStartup,
      gpUntil: this.gpUntil,
      gpMaxPoints: this.gpMaxPoints,
      nsga2After: this.nsga2After,
    };
  }

  /** Allocation weights of the eligible arms for trial `number` (exposed for tests and reports). */
  weights(study: StudyView, number: number): Partial<Record<PortfolioArm, number>> {
    const complete = study.trials(['complete']);
    if (study.directions.length > 1)
      return complete.length >= this.nsga2After ? { nsga2: 1 } : { tpe: 1 };
    if (number < this.nStartup || complete.length < Math.min(this.nStartup, 2)) return { sobol: 1 };
    const groups = groupDecomposedSearchSpace(study, ['complete']);
    const dists: Distribution[] = groups.flatMap((g) => Object.values(g));
    const categorical = dists.some((d) => d.type === 'categorical');
    const numeric = dists.filter((d) => d.type !== 'categorical').length;
    const conditional = groups.length > 1;
    const budget = this.budget ?? Math.max(200, number + 50);
    const frac = number / budget;
    const w: Partial<Record<PortfolioArm, number>> = {
      tpe: categorical || conditional ? 1 : 0.25,
    };
    if (!conditional && complete.length < this.gpUntil) w.gp = categorical ? 0.5 : 1;
    const lambda = 4 + Math.floor(3 * Math.log(Math.max(1, numeric)));
    if (!conditional && numeric >= 2 && budget - number >= 3 * lambda && frac >= 0.2)
      w.cmaes = (categorical ? 0.3 : 1) * Math.min(1, (frac - 0.2) / 0.2);
    // Progress: rank of each arm's recent trials among all complete trials.
    const ranked = [...complete].sort(compareTrials(study.directions[0] ?? 'minimize'));
    const rank = new Map(ranked.map((t, i) => [t.number, i]));
    const n = ranked.length;
    const improved = improvements(complete, study.directions[0] ?? 'minimize');
    for (const arm of Object.keys(w) as PortfolioArm[]) {
      const mine = complete.filter((t) => t.systemAttrs[TAG] === arm).slice(-WINDOW);
      if (mine.length === 0) continue;
      let score = 0;
      for (const t of mine)
        score +=
          1 - (rank.get(t.number) ?? n) / Math.max(1, n - 1) + (improved.has(t.number) ? 1 : 0);
      score /= mine.length;
      w[arm] = (w[arm] as number) * (0.1 + score) ** 2;
    }
    return w;
  }

  /** The arm for a new trial: a seeded draw from {@link weights}. */
  choose(study: StudyView, number: number): PortfolioArm {
    const w = this.weights(study, number);
    const arms = (Object.keys(w) as PortfolioArm[]).filter((a) => (w[a] as number) > 0);
    const total = arms.reduce((s, a) => s + (w[a] as number), 0);
    let u = new Rng(mixSeed(this.seed, number, 0xa11)).float() * total;
    for (const a of arms) {
      u -= w[a] as number;
      if (u <= 0) return a;
    }
    return arms[arms.length - 1] ?? 'tpe';
  }

  protected pick(study: StudyView, trial: FrozenTrial): PortfolioArm {
    return this.choose(study, trial.number);
  }
}

/** Numbers of the complete trials that improved the best value when they finished (after the first). */
function improvements(
  complete: readonly FrozenTrial[],
  direction: 'minimize' | 'maximize',
): Set<number> {
  const sign = direction === 'maximize' ? -1 : 1;
  const byFinish = [...complete].sort(
    (a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0) || a.number - b.number,
  );
  const out = new Set<number>();
  let best = Infinity;
  byFinish.forEach((t, i) => {
    const v = sign * (t.values?.[0] ?? Infinity);
    if (v < best) {
      if (i > 0) out.add(t.number);
      best = v;
    }
  });
  return out;
}

/** The default sampler: a {@link PortfolioSampler}, told the budget when one is given. */
export function defaultSampler(opts: PortfolioSamplerOptions = {}): Sampler {
  return new PortfolioSampler(opts);
}
