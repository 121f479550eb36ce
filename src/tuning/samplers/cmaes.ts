/**
 * CMA-ES (Hansen 2016, "The CMA Evolution Strategy: A Tutorial") with IPOP restarts (Auger &
 * Hansen 2005) over the numeric parameters of the intersection space, in the unit cube of
 * {@link toUnit}. Categorical parameters, and everything before the first complete trial, are
 * sampled at random.
 *
 * Integer and stepped parameters get a margin in the spirit of Hamano et al. (2022): a diagonal
 * scaling keeps each discrete coordinate's marginal standard deviation large enough that a value
 * other than the current one is drawn with probability >= `margin` (default 1 / (n lambda)),
 * so the search never freezes on a plateau; values are then rounded to the grid.
 *
 * State is a pure function of the trials: each trial is tagged (`cmaes:restart`,
 * `cmaes:generation`) before sampling, and a generation is told once `lambda` of its trials are
 * complete. A fresh sampler (after a crash) replays the history and continues identically.
 */
import { Rng } from '../../core/rng.js';
import { MortarError } from '../../core/errors.js';
import {
  fromUnit,
  gridSize,
  isSingle,
  toUnit,
  type Distribution,
  type ParamValue,
} from '../distributions.js';
import { compareTrials } from '../ranking.js';
import type { FrozenTrial, StudyView } from '../trial.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { intersectionSearchSpace, mixSeed, resolveSeed } from './search-space.js';

/** Options of {@link CmaEsSampler}. */
export interface CmaEsSamplerOptions {
  readonly seed?: number;
  /** Initial step size in the unit cube (default 1/6). */
  readonly sigma0?: number;
  /** Base population size (default 4 + floor(3 ln n)). */
  readonly popsize?: number;
  /** IPOP restarts with doubled population when CMA-ES stalls (default true). */
  readonly restart?: boolean;
  /** Probability floor for leaving the current value of a discrete parameter (default 1/(n lambda)). */
  readonly margin?: number;
  /**
   * Start the first run at the best complete trial created before CMA-ES's first trial (in the
   * unit cube) with step size `warmSigma`, instead of the centre with `sigma0` (default false).
   * A pure function of the trials, so a restarted sampler replays it identically.
   */
  readonly warmStart?: boolean;
  /** Initial step size of a warm start (default 0.1). */
  readonly warmSigma?: number;
}

/** Symmetric eigendecomposition by cyclic Jacobi rotations: `a = V diag(w) V^T`. */
export function symmetricEigen(a: readonly number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i]![j]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p]![q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (m[q]![q]! - m[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k]![p]!;
          const mkq = m[k]![q]!;
          m[k]![p] = c * mkp - s * mkq;
          m[k]![q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p]![k]!;
          const mqk = m[q]![k]!;
          m[p]![k] = c * mpk - s * mqk;
          m[q]![k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: m.map((r, i) => r[i]!), vectors: v };
}

/** Inverse of the standard normal CDF (Acklam's algorithm, relative error < 1.2e-9). */
export function ndtri(p: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2,
    -3.066479806614716e1, 2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1,
    -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  const poly = (cs: number[], x: number): number => cs.reduce((acc, k) => acc * x + k, 0);
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - lo) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -poly(c, q) / (poly(d, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** The mutable CMA-ES state of one restart. */
interface CmaState {
  readonly key: string;
  readonly restart: number;
  generation: number;
  readonly n: number;
  readonly lambda: number;
  readonly mu: number;
  readonly weights: number[];
  readonly muEff: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly cc: number;
  readonly c1: number;
  readonly cMu: number;
  readonly chiN: number;
  mean: number[];
  sigma: number;
  C: number[][];
  B: number[][];
  D: number[];
  /** Diagonal margin scaling (1 for continuous coordinates). */
  A: number[];
  pSigma: number[];
  pc: number[];
  /** Best loss of each told generation (for the flat-fitness stop). */
  bests: number[];
}

/**
 * The CMA-ES sampler.
 * @example new CmaEsSampler({ seed: 1 })
 */
export class CmaEsSampler implements Sampler {
  readonly kind = 'cmaes';
  readonly seed: number;
  private readonly rng: Rng;
  private readonly sigma0: number;
  private readonly popsize: number | undefined;
  private readonly restart: boolean;
  private readonly marginOpt: number | undefined;
  private readonly warmStart: boolean;
  private readonly warmSigma: number;
  private state: CmaState | undefined;

  constructor(opts: CmaEsSamplerOptions = {}) {
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
    this.sigma0 = opts.sigma0 ?? 1 / 6;
    this.popsize = opts.popsize;
    this.restart = opts.restart ?? true;
    this.marginOpt = opts.margin;
    this.warmStart = opts.warmStart ?? false;
    this.warmSigma = opts.warmSigma ?? 0.1;
    if (!(this.sigma0 > 0))
      throw new MortarError('INVALID_ARGUMENT', `cmaes: sigma0 must be > 0, got ${this.sigma0}`);
    if (this.popsize !== undefined && (!Number.isInteger(this.popsize) || this.popsize < 2)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `cmaes: popsize must be an integer >= 2, got ${this.popsize}`,
      );
    }
  }

  toConfig(): Record<string, number | boolean> {
    return {
      seed: this.seed,
      sigma0: this.sigma0,
      restart: this.restart,
      ...(this.popsize !== undefined ? { popsize: this.popsize } : {}),
      ...(this.marginOpt !== undefined ? { margin: this.marginOpt } : {}),
      ...(this.warmStart ? { warmStart: true, warmSigma: this.warmSigma } : {}),
    };
  }

  /** The numeric, non-single part of the intersection space of complete trials. */
  inferRelativeSearchSpace(study: StudyView): RelativeSpace {
    if (study.directions.length !== 1) return {};
    const space = intersectionSearchSpace(study, ['complete']);
    return Object.fromEntries(
      Object.entries(space).filter(([, d]) => d.type !== 'categorical' && !isSingle(d)),
    );
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, number | string> | void {
    const space = this.inferRelativeSearchSpace(study);
    if (Object.keys(space).length === 0) return;
    const st = this.catchUp(study, space, trial.number);
    return { 'cmaes:key': st.key, 'cmaes:restart': st.restart, 'cmaes:generation': st.generation };
  }

  sampleRelative(
    _study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    const st = this.state;
    const names = Object.keys(space);
    if (!st || st.key !== names.join('\u0000') || trial.systemAttrs['cmaes:restart'] !== st.restart)
      return {};
    const rng = new Rng(mixSeed(this.seed, st.restart, st.generation, trial.number));
    const x = this.draw(st, rng);
    return Object.fromEntries(
      names.map((n, i) => [n, fromUnit(space[n] as Distribution, x[i] as number)]),
    );
  }

  sampleIndependent(
    _study: StudyView,
    _trial: FrozenTrial,
    _name: string,
    distribution: Distribution,
  ): ParamValue {
    return fromUnit(distribution, this.rng.float());
  }

  private draw(st: CmaState, rng: Rng): number[] {
    let x: number[] = st.mean;
    for (let attempt = 0; attempt < 100; attempt++) {
      const z = Array.from({ length: st.n }, () => rng.normal());
      const y = st.B.map((row) =>
        row.reduce((acc, bij, j) => acc + bij * (st.D[j] as number) * (z[j] as number), 0),
      );
      x = st.mean.map((m, i) => m + st.sigma * (st.A[i] as number) * (y[i] as number));
      if (x.every((v) => v >= 0 && v <= 1)) return x;
    }
    return x.map((v) => Math.min(1, Math.max(0, v)));
  }

  private initial(
    key: string,
    space: RelativeSpace,
    restart: number,
    x0?: readonly number[],
  ): CmaState {
    const n = Object.keys(space).length;
    const lambda = (this.popsize ?? 4 + Math.floor(3 * Math.log(n))) * 2 ** restart;
    const mu = Math.floor(lambda / 2);
    const raw = Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
    const sum = raw.reduce((a, b) => a + b, 0);
    const weights = raw.map((w) => w / sum);
    const muEff = 1 / weights.reduce((a, w) => a + w * w, 0);
    const cSigma = (muEff + 2) / (n + muEff + 5);
    const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
    const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
    const c1 = 2 / ((n + 1.3) ** 2 + muEff);
    const cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
    const chiN = Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));
    const meanRng = new Rng(mixSeed(this.seed, restart, 0x5eed));
    const mean =
      restart === 0
        ? x0
          ? x0.map((v) => Math.min(0.95, Math.max(0.05, v)))
          : new Array<number>(n).fill(0.5)
        : Array.from({ length: n }, () => meanRng.uniform(0.1, 0.9));
    const eye = (): number[][] =>
      Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    const st: CmaState = {
      key,
      restart,
      generation: 0,
      n,
      lambda,
      mu,
      weights,
      muEff,
      cSigma,
      dSigma,
      cc,
      c1,
      cMu,
      chiN,
      mean,
      sigma: restart === 0 && x0 ? this.warmSigma : this.sigma0,
      C: eye(),
      B: eye(),
      D: new Array<number>(n).fill(1),
      A: new Array<number>(n).fill(1),
      pSigma: new Array<number>(n).fill(0),
      pc: new Array<number>(n).fill(0),
      bests: [],
    };
    this.applyMargin(st, space);
    return st;
  }

  /** Replays told generations (and restarts) up to the current one. */
  private catchUp(study: StudyView, space: RelativeSpace, current: number): CmaState {
    const names = Object.keys(space);
    const key = names.join('\u0000');
    if (!this.state || this.state.key !== key)
      this.state = this.initial(key, space, 0, this.warmPoint(study, space, key, current));
    const cmp = compareTrials(study.directions[0] ?? 'minimize');
    for (;;) {
      const st: CmaState = this.state;
      const gen = study
        .trials(['complete'])
        .filter(
          (t) =>
            t.number !== current &&
            t.systemAttrs['cmaes:key'] === key &&
            t.systemAttrs['cmaes:restart'] === st.restart &&
            t.systemAttrs['cmaes:generation'] === st.generation &&
            names.every((n) => Object.hasOwn(t.params, n)),
        );
      if (gen.length < st.lambda) return st;
      const told = gen.slice(0, st.lambda).sort(cmp);
      const xs = told.map((t) =>
        names.map((n) => toUnit(space[n] as Distribution, t.params[n] as ParamValue)),
      );
      const sign = study.directions[0] === 'maximize' ? -1 : 1;
      st.bests.push(sign * ((told[0] as FrozenTrial).values?.[0] ?? Infinity));
      const spread =
        sign *
        (((told[told.length - 1] as FrozenTrial).values?.[0] ?? 0) -
          ((told[0] as FrozenTrial).values?.[0] ?? 0));
      this.update(st, xs);
      this.applyMargin(st, space);
      st.generation++;
      if (this.restart && this.shouldStop(st, Math.abs(spread)))
        this.state = this.initial(key, space, st.restart + 1);
    }
  }

  /** The warm-start point: the best complete trial numbered before CMA-ES's first trial. */
  private warmPoint(
    study: StudyView,
    space: RelativeSpace,
    key: string,
    current: number,
  ): number[] | undefined {
    if (!this.warmStart) return undefined;
    const names = Object.keys(space);
    const all = study.trials();
    const first = all.find((t) => t.number !== current && t.systemAttrs['cmaes:key'] === key);
    const before = first ? first.number : current;
    const cands = study
      .trials(['complete'])
      .filter((t) => t.number < before && names.every((n) => Object.hasOwn(t.params, n)));
    if (cands.length === 0) return undefined;
    const best = [...cands].sort(
      compareTrials(study.directions[0] ?? 'minimize'),
    )[0] as FrozenTrial;
    return names.map((n) => toUnit(space[n] as Distribution, best.params[n] as ParamValue));
  }

  private update(st: CmaState, xs: number[][]): void {
    const { n, mu, weights, sigma, mean } = st;
    const ys = xs
      .slice(0, mu)
      .map((x) => x.map((v, i) => (v - (mean[i] as number)) / (sigma * (st.A[i] as number))));
    const yw = new Array<number>(n).fill(0);
    ys.forEach((y, k) => y.forEach((v, i) => (yw[i]! += (weights[k] as number) * v)));
    st.mean = mean.map((m, i) => m + sigma * (st.A[i] as number) * (yw[i] as number));
    // C^{-1/2} yw = B D^{-1} B^T yw
    const bty = st.B[0]!.map((_, j) => st.B.reduce((acc, row, i) => acc + row[j]! * yw[i]!, 0));
    const invSqrt = st.B.map((row) =>
      row.reduce((acc, bij, j) => acc + (bij * bty[j]!) / st.D[j]!, 0),
    );
    const cs = st.cSigma;
    st.pSigma = st.pSigma.map(
      (p, i) => (1 - cs) * p + Math.sqrt(cs * (2 - cs) * st.muEff) * invSqrt[i]!,
    );
    const psNorm = Math.hypot(...st.pSigma);
    const hSigma =
      psNorm / Math.sqrt(1 - (1 - cs) ** (2 * (st.generation + 1))) < (1.4 + 2 / (n + 1)) * st.chiN
        ? 1
        : 0;
    st.pc = st.pc.map(
      (p, i) => (1 - st.cc) * p + hSigma * Math.sqrt(st.cc * (2 - st.cc) * st.muEff) * yw[i]!,
    );
    const decay = 1 - st.c1 - st.cMu + (1 - hSigma) * st.c1 * st.cc * (2 - st.cc);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        ys.forEach((y, k) => (rankMu += weights[k]! * y[i]! * y[j]!));
        const v = decay * st.C[i]![j]! + st.c1 * st.pc[i]! * st.pc[j]! + st.cMu * rankMu;
        st.C[i]![j] = v;
        st.C[j]![i] = v;
      }
    }
    st.sigma *= Math.exp((cs / st.dSigma) * (psNorm / st.chiN - 1));
    st.sigma = Math.min(st.sigma, 1e3);
    const { values, vectors } = symmetricEigen(st.C);
    st.B = vectors;
    st.D = values.map((v) => Math.sqrt(Math.max(v, 1e-20)));
  }

  /** The margin: a floor on each discrete coordinate's marginal std (diagonal scaling A). */
  private applyMargin(st: CmaState, space: RelativeSpace): void {
    const alpha = this.marginOpt ?? 1 / (st.n * st.lambda);
    const z = ndtri(1 - alpha / 2);
    Object.values(space).forEach((d, i) => {
      const cells = gridSize(d);
      if (!Number.isFinite(cells)) return;
      const floor = 0.5 / cells / z;
      const cii = st.B.reduce((acc, row, j) => acc + (row[i]! * st.D[j]!) ** 2, 0);
      const std = st.sigma * Math.sqrt(cii);
      st.A[i] = std > 0 && std < floor ? floor / std : 1;
    });
  }

  private shouldStop(st: CmaState, spread: number): boolean {
    const maxStd = Math.max(
      ...st.B.map(
        (_, i) =>
          st.sigma *
          (st.A[i] as number) *
          Math.sqrt(st.B.reduce((acc, row, j) => acc + (row[i]! * st.D[j]!) ** 2, 0)),
      ),
    );
    if (maxStd < 1e-11) return true;
    const cond = (Math.max(...st.D) / Math.min(...st.D)) ** 2;
    if (cond > 1e14) return true;
    const window = 10 + Math.ceil((30 * st.n) / st.lambda);
    if (st.bests.length >= window) {
      const recent = st.bests.slice(-window);
      if (Math.max(...recent) - Math.min(...recent) < 1e-12 && spread < 1e-12) return true;
    }
    return false;
  }
}
