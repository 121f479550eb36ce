/**
 * NSGA-II (Deb et al. 2002), following Optuna's NSGAIISampler: generations of `populationSize`
 * trials; the parents of generation g are the best `populationSize` of generation g-1's parents
 * and children (non-dominated rank, then crowding distance; with constraints, feasible first and
 * infeasible by total violation); each child takes two parents by binary tournament, uniform
 * crossover with probability `crossoverProb`, and resamples each parameter at random with
 * probability `mutationProb` (default 1 / number of parameters).
 *
 * Each trial is tagged `nsga2:generation` before sampling; the parent population is a pure
 * function of the tagged trials, so a fresh sampler resumes exactly. Generation 0 is random.
 */
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { contains, fromUnit, type Distribution, type ParamValue } from '../distributions.js';
import { crowdingDistance, lossOf, nondominatedSort } from '../ranking.js';
import { isFeasible, totalViolation, type FrozenTrial, type StudyView } from '../trial.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { intersectionSearchSpace, mixSeed, resolveSeed } from './search-space.js';

/** Options of {@link Nsga2Sampler}. */
export interface Nsga2SamplerOptions {
  readonly seed?: number;
  /** Trials per generation (default 50). */
  readonly populationSize?: number;
  /** Probability of crossover rather than copying one parent (default 0.9). */
  readonly crossoverProb?: number;
  /** Probability that a parent's gene is swapped in uniform crossover (default 0.5). */
  readonly swappingProb?: number;
  /** Per-parameter probability of a random resample; default 1 / number of parameters. */
  readonly mutationProb?: number;
}

const GEN = 'nsga2:generation';

interface Ranked {
  readonly trial: FrozenTrial;
  readonly rank: number;
  readonly crowding: number;
}

/**
 * Selects `size` trials (elitist NSGA-II survival); returns them with rank and crowding distance.
 * Feasible trials dominate infeasible ones; infeasible ones are ordered by total violation.
 */
export function selectPopulation(
  trials: readonly FrozenTrial[],
  study: StudyView,
  size: number,
): Ranked[] {
  const feasible = trials.filter(isFeasible);
  const infeasible = trials
    .filter((t) => !isFeasible(t))
    .sort((a, b) => totalViolation(a) - totalViolation(b) || a.number - b.number);
  const losses = feasible.map((t) => lossOf(t.values as number[], study.directions));
  const out: Ranked[] = [];
  const fronts = nondominatedSort(losses);
  for (let r = 0; r < fronts.length && out.length < size; r++) {
    const front = fronts[r] as number[];
    const cd = crowdingDistance(front.map((i) => losses[i] as number[]));
    const members = front
      .map((i, j) => ({ trial: feasible[i] as FrozenTrial, rank: r, crowding: cd[j] as number }))
      .sort((a, b) => b.crowding - a.crowding || a.trial.number - b.trial.number);
    out.push(...members.slice(0, size - out.length));
  }
  infeasible
    .slice(0, size - out.length)
    .forEach((t, k) => out.push({ trial: t, rank: fronts.length + k, crowding: 0 }));
  return out;
}

/**
 * The NSGA-II sampler (single or multi-objective).
 * @example new Nsga2Sampler({ seed: 0, populationSize: 20 })
 */
export class Nsga2Sampler implements Sampler {
  readonly kind = 'nsga2';
  readonly seed: number;
  private readonly rng: Rng;
  private readonly popsize: number;
  private readonly crossoverProb: number;
  private readonly swappingProb: number;
  private readonly mutationProb: number | undefined;
  private readonly parents = new Map<number, { key: string; pop: Ranked[] }>();

  constructor(opts: Nsga2SamplerOptions = {}) {
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
    this.popsize = opts.populationSize ?? 50;
    this.crossoverProb = opts.crossoverProb ?? 0.9;
    this.swappingProb = opts.swappingProb ?? 0.5;
    this.mutationProb = opts.mutationProb;
    if (!Number.isInteger(this.popsize) || this.popsize < 2) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `nsga2: populationSize must be an integer >= 2, got ${this.popsize}`,
      );
    }
    for (const [k, v] of [
      ['crossoverProb', this.crossoverProb],
      ['swappingProb', this.swappingProb],
      ['mutationProb', this.mutationProb ?? 0],
    ] as const) {
      if (!(v >= 0 && v <= 1))
        throw new MortarError('INVALID_ARGUMENT', `nsga2: ${k} must be in [0, 1], got ${v}`);
    }
  }

  toConfig(): Record<string, number> {
    return {
      seed: this.seed,
      populationSize: this.popsize,
      crossoverProb: this.crossoverProb,
      swappingProb: this.swappingProb,
      ...(this.mutationProb !== undefined ? { mutationProb: this.mutationProb } : {}),
    };
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, number> {
    let gen = 0;
    let count = 0;
    for (const t of study.trials()) {
      if (t.number === trial.number || t.state === 'failed') continue;
      const g = t.systemAttrs[GEN];
      if (typeof g !== 'number') continue;
      if (g > gen) {
        gen = g;
        count = 0;
      }
      if (g === gen) count++;
    }
    return { [GEN]: count >= this.popsize ? gen + 1 : gen };
  }

  inferRelativeSearchSpace(study: StudyView): RelativeSpace {
    return intersectionSearchSpace(study, ['complete']);
  }

  /** The parent population of generation `gen` (cached; rebuilt from trials after a restart). */
  private population(study: StudyView, gen: number): Ranked[] {
    if (gen <= 0) return [];
    const complete = study.trials(['complete']);
    const children = complete.filter((t) => t.systemAttrs[GEN] === gen - 1);
    const key = children.map((t) => t.number).join(',');
    const hit = this.parents.get(gen);
    if (hit && hit.key === key) return hit.pop;
    const prev = this.population(study, gen - 1).map((r) => r.trial);
    const pop = selectPopulation([...prev, ...children], study, this.popsize);
    this.parents.set(gen, { key, pop });
    return pop;
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    const gen = trial.systemAttrs[GEN];
    if (typeof gen !== 'number' || gen === 0) return {};
    const names = Object.keys(space);
    const pop = this.population(study, gen).filter((r) =>
      names.every((n) => Object.hasOwn(r.trial.params, n)),
    );
    if (pop.length < 2 || names.length === 0) return {};
    const rng = new Rng(mixSeed(this.seed, trial.number));
    const tournament = (): FrozenTrial => {
      const a = pop[rng.int(0, pop.length - 1)] as Ranked;
      const b = pop[rng.int(0, pop.length - 1)] as Ranked;
      if (a.rank !== b.rank) return (a.rank < b.rank ? a : b).trial;
      if (a.crowding !== b.crowding) return (a.crowding > b.crowding ? a : b).trial;
      return (rng.float() < 0.5 ? a : b).trial;
    };
    const p1 = tournament();
    const p2 = tournament();
    const cross = rng.float() < this.crossoverProb;
    const mutation = this.mutationProb ?? 1 / names.length;
    const out: Record<string, ParamValue> = {};
    for (const n of names) {
      const d = space[n] as Distribution;
      if (rng.float() < mutation) {
        out[n] = fromUnit(d, rng.float());
        continue;
      }
      const v = (cross && rng.float() < this.swappingProb ? p2 : p1).params[n] as ParamValue;
      out[n] = contains(d, v) ? v : fromUnit(d, rng.float());
    }
    return out;
  }

  sampleIndependent(
    _study: StudyView,
    _trial: FrozenTrial,
    _name: string,
    distribution: Distribution,
  ): ParamValue {
    return fromUnit(distribution, this.rng.float());
  }
}
