/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011; Watanabe 2023), following Optuna's
 * TPESampler: trials split into "below" (best `gamma(n)`) and "above"; a Parzen estimator l(x)
 * over below and g(x) over above; `nEiCandidates` draws from l(x); the one maximizing
 * log l(x) - log g(x) wins.
 *
 * - univariate (default): each parameter sampled independently at `suggest` time, so
 *   define-by-run conditional parameters are modelled from the trials that have them;
 * - `multivariate`: the intersection space sampled jointly; with `group`, the space is split
 *   into groups of parameters that always co-occur (joint modelling of conditional spaces);
 * - `constantLiar`: running trials count as "above", so parallel workers spread out;
 * - constraints: infeasible trials rank after feasible ones; pruned ones by last step and value;
 * - several objectives (MOTPE): below by non-dominated rank, the boundary front by greedy
 *   hypervolume subset selection; below trials weighted by their hypervolume contribution.
 */
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import {
  contains,
  fromUnit,
  toInternal,
  toExternal,
  isSingle,
  type Distribution,
  type ParamValue,
} from '../distributions.js';
import {
  hypervolume,
  lossOf,
  nondominatedSort,
  referencePoint,
  selectByHypervolume,
} from '../ranking.js';
import {
  isFeasible,
  lastIntermediate,
  totalViolation,
  type FrozenTrial,
  type StudyView,
  type TrialState,
} from '../trial.js';
import { ParzenEstimator, type Columns, type ParzenOptions } from './parzen.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import {
  groupDecomposedSearchSpace,
  intersectionSearchSpace,
  resolveSeed,
} from './search-space.js';

/** Options of {@link TpeSampler} (Optuna's defaults). */
export interface TpeSamplerOptions {
  readonly seed?: number;
  /** Random trials before TPE starts (default 10). */
  readonly nStartupTrials?: number;
  /** Candidates drawn from l(x) per suggestion (default 24). */
  readonly nEiCandidates?: number;
  /** Size of "below" for n trials; default `min(ceil(0.1 n), 25)`. Not serialized by `toConfig`. */
  readonly gamma?: (n: number) => number;
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight?: number;
  readonly considerMagicClip?: boolean;
  readonly considerEndpoints?: boolean;
  /** Sample the intersection space jointly (default false). */
  readonly multivariate?: boolean;
  /** With `multivariate`, model groups of co-occurring parameters jointly (default false). */
  readonly group?: boolean;
  /** Treat running trials as bad results so parallel suggestions spread out (default false). */
  readonly constantLiar?: boolean;
}

/** Optuna's default gamma: min(ceil(0.1 n), 25). */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default weights: older trials ramp up from 1/n when n >= 25, the last 25 weigh 1. */
export function defaultWeights(n: number): Float64Array {
  const w = new Float64Array(n).fill(1);
  if (n < 25) return w;
  const ramp = n - 25;
  for (let i = 0; i < ramp; i++) w[i] = ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1);
  return w;
}

interface Split {
  readonly below: readonly FrozenTrial[];
  readonly above: readonly FrozenTrial[];
}

/**
 * The TPE sampler.
 * @example new TpeSampler({ seed: 42, multivariate: true, constantLiar: true })
 */
export class TpeSampler implements Sampler {
  readonly kind = 'tpe';
  readonly seed: number;
  private readonly rng: Rng;
  private readonly nStartup: number;
  private readonly nEi: number;
  private readonly gamma: (n: number) => number;
  private readonly parzen: ParzenOptions;
  private readonly multivariate: boolean;
  private readonly group: boolean;
  private readonly constantLiar: boolean;
  private readonly opts: TpeSamplerOptions;
  private readonly splits = new WeakMap<readonly FrozenTrial[], Map<number, Split>>();

  constructor(opts: TpeSamplerOptions = {}) {
    this.opts = opts;
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
    this.nStartup = opts.nStartupTrials ?? 10;
    this.nEi = opts.nEiCandidates ?? 24;
    this.gamma = opts.gamma ?? defaultGamma;
    this.multivariate = opts.multivariate ?? false;
    this.group = opts.group ?? false;
    this.constantLiar = opts.constantLiar ?? false;
    if (this.group && !this.multivariate) {
      throw new MortarError('INVALID_ARGUMENT', 'TPE: group requires multivariate: true');
    }
    if (!Number.isInteger(this.nStartup) || this.nStartup < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `TPE: nStartupTrials must be an integer >= 0, got ${this.nStartup}`,
      );
    }
    if (!Number.isInteger(this.nEi) || this.nEi < 1) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `TPE: nEiCandidates must be an integer >= 1, got ${this.nEi}`,
      );
    }
    const priorWeight = opts.priorWeight ?? 1;
    if (!(priorWeight > 0))
      throw new MortarError('INVALID_ARGUMENT', `TPE: priorWeight must be > 0, got ${priorWeight}`);
    this.parzen = {
      priorWeight,
      considerMagicClip: opts.considerMagicClip ?? true,
      considerEndpoints: opts.considerEndpoints ?? false,
      multivariate: this.multivariate,
    };
  }

  toConfig(): Record<string, number | boolean> {
    return {
      seed: this.seed,
      nStartupTrials: this.nStartup,
      nEiCandidates: this.nEi,
      priorWeight: this.parzen.priorWeight,
      considerMagicClip: this.parzen.considerMagicClip,
      considerEndpoints: this.parzen.considerEndpoints,
      multivariate: this.multivariate,
      group: this.group,
      constantLiar: this.constantLiar,
    };
  }

  inferRelativeSearchSpace(study: StudyView): RelativeSpace {
    if (!this.multivariate) return {};
    const states: TrialState[] = ['complete', 'pruned'];
    const space = this.group
      ? groupDecomposedSearchSpace(study, states).flatMap((g) => Object.entries(g))
      : Object.entries(intersectionSearchSpace(study, states));
    return Object.fromEntries(space.filter(([, d]) => !isSingle(d)));
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    if (Object.keys(space).length === 0 || this.nFinished(study) < this.nStartup) return {};
    if (!this.group) return this.sample(study, trial, space);
    const out: Record<string, ParamValue> = {};
    for (const g of groupDecomposedSearchSpace(study, ['complete', 'pruned'])) {
      const sub = Object.fromEntries(Object.entries(g).filter(([k]) => Object.hasOwn(space, k)));
      if (Object.keys(sub).length > 0) Object.assign(out, this.sample(study, trial, sub));
    }
    return out;
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): ParamValue {
    if (this.nFinished(study) < this.nStartup) return fromUnit(distribution, this.rng.float());
    return this.sample(study, trial, { [name]: distribution })[name] as ParamValue;
  }

  private nFinished(study: StudyView): number {
    return study.trials(['complete', 'pruned']).length;
  }

  /** The below/above split of the study's trials, cached per snapshot. */
  private split(study: StudyView, current: number): Split {
    const all = study.trials();
    let perSnap = this.splits.get(all);
    const hit = perSnap?.get(current);
    if (hit) return hit;
    const trials = all.filter(
      (t) =>
        t.number !== current &&
        (t.state === 'complete' ||
          t.state === 'pruned' ||
          (this.constantLiar && t.state === 'running')),
    );
    const s = splitTrials(study, trials, this.gamma(trials.length));
    if (!perSnap) {
      perSnap = new Map();
      this.splits.set(all, perSnap);
    }
    perSnap.set(current, s);
    return s;
  }

  private sample(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    const { below, above } = this.split(study, trial.number);
    const mo = study.directions.length > 1;
    const l = this.estimator(
      below,
      space,
      mo ? (kept) => hypervolumeWeights(kept, study.directions) : undefined,
    );
    const g = this.estimator(above, space);
    const cands = l.sample(this.rng, this.nEi);
    const ll = l.logPdf(cands, this.nEi);
    const lg = g.logPdf(cands, this.nEi);
    let best = 0;
    let bestScore = -Infinity;
    for (let i = 0; i < this.nEi; i++) {
      const s = (ll[i] as number) - (lg[i] as number);
      if (s > bestScore) {
        bestScore = s;
        best = i;
      }
    }
    const out: Record<string, ParamValue> = {};
    for (const [name, d] of Object.entries(space))
      out[name] = toExternal(d, (cands[name] as Float64Array)[best] as number);
    return out;
  }

  private estimator(
    trials: readonly FrozenTrial[],
    space: RelativeSpace,
    weigh?: (kept: readonly FrozenTrial[]) => Float64Array,
  ): ParzenEstimator {
    const names = Object.keys(space);
    // Trials with the parameter, at a value the current distribution can take (ranges may change).
    const kept = trials.filter((t) =>
      names.every(
        (n) => Object.hasOwn(t.params, n) && contains(space[n] as Distribution, t.params[n]),
      ),
    );
    const cols: Columns = {};
    for (const n of names) {
      const d = space[n] as Distribution;
      cols[n] = Float64Array.from(kept, (t) => toInternal(d, t.params[n] as ParamValue));
    }
    return new ParzenEstimator(
      cols,
      space,
      weigh ? weigh(kept) : defaultWeights(kept.length),
      this.parzen,
    );
  }
}

/**
 * Optuna's split: complete trials ranked first (feasible by objective, multi-objective by
 * non-dominated rank then crowding), then pruned by (last step desc, value), then infeasible by
 * violation; the best `nBelow` are "below", the rest plus running trials "above". Both by number.
 */
export function splitTrials(
  study: StudyView,
  trials: readonly FrozenTrial[],
  nBelow: number,
): Split {
  const complete: FrozenTrial[] = [];
  const pruned: FrozenTrial[] = [];
  const infeasible: FrozenTrial[] = [];
  const running: FrozenTrial[] = [];
  for (const t of trials) {
    if (t.state === 'running') running.push(t);
    else if (!isFeasible(t)) infeasible.push(t);
    else if (t.state === 'complete' && t.values) complete.push(t);
    else if (t.state === 'pruned') pruned.push(t);
  }
  const dirs = study.directions;
  let rankedComplete: FrozenTrial[];
  if (dirs.length === 1) {
    const sign = dirs[0] === 'maximize' ? -1 : 1;
    rankedComplete = complete.sort(
      (a, b) =>
        sign * ((a.values?.[0] as number) - (b.values?.[0] as number)) || a.number - b.number,
    );
  } else {
    rankedComplete = rankMultiObjective(complete, dirs, nBelow);
  }
  const sign = dirs[0] === 'maximize' ? -1 : 1;
  const prunedKey = (t: FrozenTrial): [number, number] => {
    const last = lastIntermediate(t);
    return last ? [-last.step, sign * last.value] : [1, 0];
  };
  pruned.sort((a, b) => {
    const ka = prunedKey(a);
    const kb = prunedKey(b);
    return ka[0] - kb[0] || ka[1] - kb[1] || a.number - b.number;
  });
  infeasible.sort((a, b) => totalViolation(a) - totalViolation(b) || a.number - b.number);
  const ranked = [...rankedComplete, ...pruned, ...infeasible];
  const byNumber = (a: FrozenTrial, b: FrozenTrial): number => a.number - b.number;
  return {
    below: ranked.slice(0, nBelow).sort(byNumber),
    above: [...ranked.slice(nBelow), ...running].sort(byNumber),
  };
}

function rankMultiObjective(
  trials: FrozenTrial[],
  dirs: StudyView['directions'],
  nBelow: number,
): FrozenTrial[] {
  const losses = trials.map((t) => lossOf(t.values as number[], dirs));
  const out: FrozenTrial[] = [];
  for (const front of nondominatedSort(losses)) {
    front.sort((a, b) => a - b);
    if (out.length + front.length <= nBelow || out.length >= nBelow) {
      out.push(...front.map((i) => trials[i] as FrozenTrial));
      continue;
    }
    // Tie-break the boundary front by greedy hypervolume subset selection (Optuna's HSSP).
    const fl = front.map((i) => losses[i] as number[]);
    const picked = selectByHypervolume(fl, nBelow - out.length, referencePoint(fl));
    const rest = front.filter((_, j) => !picked.includes(j));
    out.push(
      ...picked.map((j) => trials[front[j] as number] as FrozenTrial),
      ...rest.map((i) => trials[i] as FrozenTrial),
    );
  }
  return out;
}

/**
 * MOTPE's weights of "below" trials: each Pareto-optimal trial weighs its hypervolume
 * contribution (normalized to the largest), every other trial a small epsilon.
 */
export function hypervolumeWeights(
  trials: readonly FrozenTrial[],
  dirs: StudyView['directions'],
): Float64Array {
  const n = trials.length;
  const w = new Float64Array(n).fill(1e-12);
  const idx = trials.map((t, i) => (t.values && isFeasible(t) ? i : -1)).filter((i) => i >= 0);
  if (idx.length === 0) return w.fill(1);
  const losses = idx.map((i) => lossOf((trials[i] as FrozenTrial).values as number[], dirs));
  const ref = referencePoint(losses);
  const front = nondominatedSort(losses)[0] ?? [];
  const pts = front.map((j) => losses[j] as number[]);
  const total = hypervolume(pts, ref);
  const contrib = front.map(
    (_, k) =>
      total -
      hypervolume(
        pts.filter((_, q) => q !== k),
        ref,
      ),
  );
  const max = Math.max(...contrib, 1e-12);
  front.forEach(
    (j, k) => (w[idx[j] as number] = Math.min(1, Math.max(1e-12, (contrib[k] as number) / max))),
  );
  return w;
}
