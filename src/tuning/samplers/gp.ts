/**
 * Gaussian-process Bayesian optimization (in the spirit of Optuna's GPSampler):
 * - inputs: the intersection space in the unit cube of {@link toUnit} (log-scaled where `log`,
 *   discrete values at their cell centres), categoricals one-hot;
 * - outputs: losses (maximized objectives negated; infeasible trials and, with `constantLiar`,
 *   running ones set to the worst loss) standardized to mean 0, variance 1;
 * - kernel: Matérn-5/2 with one lengthscale per input (ARD), a signal variance and a noise
 *   variance, fitted by maximizing the log marginal likelihood plus weak log-normal priors (ML-II)
 *   with L-BFGS, warm-started from the previous fit;
 * - acquisition: log expected improvement (Ament et al. 2023), maximized by random candidates
 *   followed by coordinate-wise local search;
 * - before `nStartupTrials` complete trials: random; above `maxTrials` complete trials, or for
 *   several objectives: a TPE fallback. Parameters outside the relative space: random.
 */
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import {
  fromUnit,
  gridSize,
  isSingle,
  toUnit,
  type Distribution,
  type ParamValue,
} from '../distributions.js';
import { compareTrials } from '../ranking.js';
import { isFeasible, type FrozenTrial, type StudyView } from '../trial.js';
import { cholesky, choleskyInverse, lbfgs, solveLower, solveUpperT } from './linalg.js';
import { LOG_INV_SQRT_2PI, logErfc, ndtr } from './math.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { intersectionSearchSpace, mixSeed, resolveSeed } from './search-space.js';
import { TpeSampler } from './tpe.js';

/** Options of {@link GpSampler}. */
export interface GpSamplerOptions {
  readonly seed?: number;
  /** Random trials before the GP starts (default 10). */
  readonly nStartupTrials?: number;
  /** Above this many complete trials, fall back to TPE (default 300). */
  readonly maxTrials?: number;
  /** Random candidates for the acquisition search (default 512). */
  readonly nCandidates?: number;
  /** Count running trials as the worst observed loss so parallel suggestions spread (default false). */
  readonly constantLiar?: boolean;
  /**
   * Fit the GP on at most this many complete trials: the best half by loss plus the most recent
   * (default: all). Caps the cost of a suggestion (O(n^3) fit, O(n^2) per prediction).
   */
  readonly maxPoints?: number;
  /**
   * Search the acquisition only inside a trust region around the best trial (TuRBO, Eriksson et
   * al. 2019) from this many numeric dimensions on (default: never). The region's side starts at
   * 0.8 of the unit cube, doubles after 3 improvements in a row, halves after max(4, d) trials
   * without one, restarts at 0.8 below 2^-7, and is scaled per dimension by the fitted
   * lengthscales; its size is recomputed from the trials, so it needs no state.
   */
  readonly trustRegionFromDims?: number;
}

const SQRT5 = Math.sqrt(5);
const MIN_NOISE = 1e-6;
const PRIOR_LOG_LS = Math.log(0.5);
const PRIOR_LOG_NOISE = Math.log(1e-3);

/** Hyperparameters: log lengthscales (D), log signal variance, log(noise - 1e-6). */
export type GpTheta = Float64Array;

/** Default hyperparameters for `d` inputs. */
export function defaultTheta(d: number): GpTheta {
  const t = new Float64Array(d + 2).fill(PRIOR_LOG_LS);
  t[d] = 0;
  t[d + 1] = PRIOR_LOG_NOISE;
  return t;
}

function logPrior(theta: GpTheta, d: number, grad?: Float64Array): number {
  let lp = 0;
  const add = (i: number, mean: number, sd: number): void => {
    const z = ((theta[i] as number) - mean) / sd;
    lp -= 0.5 * z * z;
    if (grad) grad[i]! -= z / sd;
  };
  for (let i = 0; i < d; i++) add(i, PRIOR_LOG_LS, 1);
  add(d, 0, 1);
  add(d + 1, PRIOR_LOG_NOISE, 3);
  return lp;
}

/**
 * Negative log marginal likelihood minus log prior of `theta`, and its gradient. `x` is n x d
 * row-major, `y` standardized. Infinite when the kernel matrix is not positive definite.
 */
export function gpNegLogLik(
  theta: GpTheta,
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
): { value: number; grad: Float64Array } {
  return gpObjective(x, n, d, y)(theta);
}

/** {@link gpNegLogLik} for fixed data, with pairwise squared differences precomputed. */
export function gpObjective(
  x: Float64Array,
  n: number,
  d: number,
  y: Float64Array,
): (theta: GpTheta) => { value: number; grad: Float64Array } {
  const pairs = (n * (n - 1)) / 2;
  const sq = new Float64Array(pairs * d);
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = 0; j < i; j++, p++) {
      for (let k = 0; k < d; k++)
        sq[p * d + k] = ((x[i * d + k] as number) - (x[j * d + k] as number)) ** 2;
    }
  }
  const kmat = new Float64Array(n * n);
  const rs = new Float64Array(pairs);
  const ex = new Float64Array(pairs);
  return (theta) => {
    const grad = new Float64Array(d + 2);
    const inv2 = new Float64Array(d);
    for (let k = 0; k < d; k++) inv2[k] = Math.exp(-2 * (theta[k] as number));
    const s2 = Math.exp(theta[d] as number);
    const noise = MIN_NOISE + Math.exp(theta[d + 1] as number);
    for (let i = 0, p = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        let r2 = 0;
        for (let k = 0; k < d; k++) r2 += (sq[p * d + k] as number) * (inv2[k] as number);
        const r = Math.sqrt(r2);
        const e = Math.exp(-SQRT5 * r);
        const v = s2 * (1 + SQRT5 * r + (5 / 3) * r2) * e;
        kmat[i * n + j] = v;
        kmat[j * n + i] = v;
        rs[p] = r;
        ex[p] = e;
      }
      kmat[i * n + i] = s2 + noise;
    }
    const l = Float64Array.from(kmat);
    if (!cholesky(l, n)) return { value: Infinity, grad };
    const alpha = solveUpperT(l, n, solveLower(l, n, y));
    let value = 0.5 * n * Math.log(2 * Math.PI);
    for (let i = 0; i < n; i++)
      value += 0.5 * (y[i] as number) * (alpha[i] as number) + Math.log(l[i * n + i] as number);
    const kinv = choleskyInverse(l, n);
    // dNLL/dtheta = -1/2 tr((alpha alpha^T - K^{-1}) dK/dtheta)
    let gS = 0;
    let gN = 0;
    for (let i = 0, p = 0; i < n; i++) {
      const wii = (alpha[i] as number) ** 2 - (kinv[i * n + i] as number);
      gS += wii * s2;
      gN += wii;
      for (let j = 0; j < i; j++, p++) {
        const w = 2 * ((alpha[i] as number) * (alpha[j] as number) - (kinv[i * n + j] as number));
        gS += w * (kmat[i * n + j] as number);
        const c = w * s2 * (5 / 3) * (1 + SQRT5 * (rs[p] as number)) * (ex[p] as number);
        for (let k = 0; k < d; k++) grad[k]! += c * (sq[p * d + k] as number);
      }
    }
    for (let k = 0; k < d; k++) grad[k]! *= -0.5 * (inv2[k] as number);
    grad[d] = -0.5 * gS;
    grad[d + 1] = -0.5 * gN * (noise - MIN_NOISE);
    const pg = new Float64Array(d + 2);
    value -= logPrior(theta, d, pg);
    for (let i = 0; i < d + 2; i++) grad[i]! -= pg[i] as number;
    return { value, grad };
  };
}

/** A fitted GP posterior. */
export class GpModel {
  private readonly l: Float64Array;
  private readonly alpha: Float64Array;
  private readonly inv2: Float64Array;
  private readonly s2: number;

  constructor(
    private readonly x: Float64Array,
    private readonly n: number,
    private readonly d: number,
    y: Float64Array,
    theta: GpTheta,
  ) {
    this.inv2 = new Float64Array(d);
    for (let k = 0; k < d; k++) this.inv2[k] = Math.exp(-2 * (theta[k] as number));
    this.s2 = Math.exp(theta[d] as number);
    const noise = MIN_NOISE + Math.exp(theta[d + 1] as number);
    for (let jitter = 0; ; jitter++) {
      const k = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          const v = this.kernel(x, i * d, x, j * d) + (i === j ? noise * 10 ** jitter : 0);
          k[i * n + j] = v;
          k[j * n + i] = v;
        }
      }
      if (cholesky(k, n)) {
        this.l = k;
        break;
      }
      if (jitter > 8)
        throw new MortarError('INTERNAL', 'gp: kernel matrix is not positive definite');
    }
    this.alpha = solveUpperT(this.l, n, solveLower(this.l, n, y));
  }

  private kernel(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number): number {
    let r2 = 0;
    for (let k = 0; k < this.d; k++)
      r2 += ((a[ao + k] as number) - (b[bo + k] as number)) ** 2 * (this.inv2[k] as number);
    const r = Math.sqrt(r2);
    return this.s2 * (1 + SQRT5 * r + (5 / 3) * r2) * Math.exp(-SQRT5 * r);
  }

  /** Posterior mean and variance of the latent function at `p` (length d). */
  predict(p: ArrayLike<number>): { mean: number; variance: number } {
    const ks = new Float64Array(this.n);
    let mean = 0;
    for (let i = 0; i < this.n; i++) {
      ks[i] = this.kernel(this.x, i * this.d, p, 0);
      mean += (ks[i] as number) * (this.alpha[i] as number);
    }
    const v = solveLower(this.l, this.n, ks);
    let q = 0;
    for (let i = 0; i < this.n; i++) q += (v[i] as number) ** 2;
    return { mean, variance: Math.max(this.s2 - q, 1e-12) };
  }
}

/** log(phi(z) + z Phi(z)), stable for very negative z. */
export function logH(z: number): number {
  if (z > -1) return Math.log(Math.exp(LOG_INV_SQRT_2PI - 0.5 * z * z) + z * ndtr(z));
  const t = -z;
  const logPhi = LOG_INV_SQRT_2PI - 0.5 * t * t;
  if (t > 100) return logPhi + Math.log(1 / (t * t) - 3 / t ** 4 + 15 / t ** 6);
  const mills = Math.sqrt(Math.PI / 2) * Math.exp(0.5 * t * t + logErfc(t * Math.SQRT1_2));
  return logPhi + Math.log1p(-t * mills);
}

/** log expected improvement below `best` for a Gaussian prediction (minimization). */
export function logEI(mean: number, variance: number, best: number): number {
  const s = Math.sqrt(variance);
  return Math.log(s) + logH((best - mean) / s);
}

/** One input column group: a numeric parameter (1 column) or a categorical (one-hot). */
interface Column {
  readonly name: string;
  readonly dist: Distribution;
  readonly offset: number;
  readonly width: number;
  /** Grid cells of a discrete numeric parameter, else Infinity. */
  readonly cells: number;
}

/**
 * The GP-BO sampler.
 * @example new GpSampler({ seed: 0 })
 */
export class GpSampler implements Sampler {
  readonly kind = 'gp';
  readonly seed: number;
  private readonly rng: Rng;
  private readonly nStartup: number;
  private readonly maxTrials: number;
  private readonly nCandidates: number;
  private readonly constantLiar: boolean;
  private readonly maxPoints: number;
  private readonly trFromDims: number;
  private readonly fallback: TpeSampler;
  private theta: { key: string; value: GpTheta } | undefined;

  constructor(opts: GpSamplerOptions = {}) {
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
    this.nStartup = opts.nStartupTrials ?? 10;
    this.maxTrials = opts.maxTrials ?? 300;
    this.nCandidates = opts.nCandidates ?? 512;
    this.constantLiar = opts.constantLiar ?? false;
    this.maxPoints = opts.maxPoints ?? Infinity;
    this.trFromDims = opts.trustRegionFromDims ?? Infinity;
    if (!(this.maxPoints >= 2))
      throw new MortarError(
        'INVALID_ARGUMENT',
        `gp: maxPoints must be >= 2, got ${this.maxPoints}`,
      );
    for (const [k, v, min] of [
      ['nStartupTrials', this.nStartup, 0],
      ['maxTrials', this.maxTrials, 1],
      ['nCandidates', this.nCandidates, 1],
    ] as const) {
      if (!Number.isInteger(v) || v < min)
        throw new MortarError(
          'INVALID_ARGUMENT',
          `gp: ${k} must be an integer >= ${min}, got ${v}`,
        );
    }
    this.fallback = new TpeSampler({
      seed: mixSeed(this.seed, 1),
      multivariate: true,
      constantLiar: this.constantLiar,
    });
  }

  toConfig(): Record<string, number | boolean> {
    return {
      seed: this.seed,
      nStartupTrials: this.nStartup,
      maxTrials: this.maxTrials,
      nCandidates: this.nCandidates,
      constantLiar: this.constantLiar,
      ...(Number.isFinite(this.maxPoints) ? { maxPoints: this.maxPoints } : {}),
      ...(Number.isFinite(this.trFromDims) ? { trustRegionFromDims: this.trFromDims } : {}),
    };
  }

  private useFallback(study: StudyView): boolean {
    return study.directions.length !== 1 || study.trials(['complete']).length > this.maxTrials;
  }

  inferRelativeSearchSpace(study: StudyView): RelativeSpace {
    if (this.useFallback(study)) return this.fallback.inferRelativeSearchSpace(study);
    const space = intersectionSearchSpace(study, ['complete']);
    return Object.fromEntries(Object.entries(space).filter(([, d]) => !isSingle(d)));
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): ParamValue {
    if (this.useFallback(study))
      return this.fallback.sampleIndependent(study, trial, name, distribution);
    return fromUnit(distribution, this.rng.float());
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    if (this.useFallback(study)) return this.fallback.sampleRelative(study, trial, space);
    const names = Object.keys(space);
    if (names.length === 0) return {};
    const has = (t: FrozenTrial): boolean => names.every((n) => Object.hasOwn(t.params, n));
    let complete = study.trials(['complete']).filter((t) => has(t) && t.values !== undefined);
    if (complete.length < this.nStartup) return {};
    if (complete.length > this.maxPoints) complete = this.subsample(study, complete);
    const columns: Column[] = [];
    let width = 0;
    for (const name of names) {
      const dist = space[name] as Distribution;
      const w = dist.type === 'categorical' ? dist.choices.length : 1;
      columns.push({
        name,
        dist,
        offset: width,
        width: w,
        cells: dist.type === 'categorical' ? Infinity : gridSize(dist),
      });
      width += w;
    }
    const encode = (t: FrozenTrial, out: Float64Array, off: number): void => {
      for (const c of columns) {
        const u = toUnit(c.dist, t.params[c.name] as ParamValue);
        if (c.dist.type === 'categorical') {
          const idx = Math.min(c.width - 1, Math.floor(u * c.width));
          for (let k = 0; k < c.width; k++) out[off + c.offset + k] = k === idx ? 1 : 0;
        } else out[off + c.offset] = u;
      }
    };
    const sign = study.directions[0] === 'maximize' ? -1 : 1;
    const feasible = complete.filter(isFeasible);
    const losses = complete.map((t) => sign * (t.values?.[0] as number));
    const worst = Math.max(...losses);
    const running = this.constantLiar
      ? study.trials(['running']).filter((t) => t.number !== trial.number && has(t))
      : [];
    const rows = [...complete, ...running];
    const n = rows.length;
    const x = new Float64Array(n * width);
    const y = new Float64Array(n);
    rows.forEach((t, i) => {
      encode(t, x, i * width);
      y[i] = i < complete.length && isFeasible(t) ? (losses[i] as number) : worst;
    });
    let mean = 0;
    for (const v of y) mean += v / n;
    let sd = 0;
    for (const v of y) sd += (v - mean) ** 2 / n;
    sd = Math.sqrt(sd) || 1;
    for (let i = 0; i < n; i++) y[i] = ((y[i] as number) - mean) / sd;
    const theta = this.fit(x, n, width, y, names.join('\u0000'));
    const model = new GpModel(x, n, width, y, theta);
    let best = Infinity;
    if (feasible.length > 0)
      for (let i = 0; i < complete.length; i++)
        if (isFeasible(complete[i] as FrozenTrial)) best = Math.min(best, y[i] as number);
    if (!Number.isFinite(best)) best = Math.min(...y);
    const rng = new Rng(mixSeed(this.seed, trial.number));
    const numeric = columns.filter((c) => c.dist.type !== 'categorical').length;
    let region: { lo: Float64Array; hi: Float64Array } | undefined;
    if (numeric >= this.trFromDims) {
      let bi = 0;
      for (let i = 1; i < complete.length; i++) if ((y[i] as number) < (y[bi] as number)) bi = i;
      const side = trustRegionSide(
        study.trials(['complete']).map((t) => sign * (t.values?.[0] as number)),
        Math.max(4, numeric),
      );
      // TuRBO: scale by lengthscales normalized to geometric mean 1.
      let logMean = 0;
      for (const c of columns)
        if (c.dist.type !== 'categorical') logMean += (theta[c.offset] as number) / numeric;
      const lo = new Float64Array(width).fill(0);
      const hi = new Float64Array(width).fill(1);
      for (const c of columns) {
        if (c.dist.type === 'categorical') continue;
        const w = Math.exp((theta[c.offset] as number) - logMean);
        const half = (side * Math.min(8, Math.max(1 / 8, w))) / 2;
        const center = x[bi * width + c.offset] as number;
        lo[c.offset] = Math.max(0, center - half);
        hi[c.offset] = Math.min(1, center + half);
      }
      region = { lo, hi };
    }
    const point = this.maximize(model, columns, width, best, x, n, rng, region);
    const out: Record<string, ParamValue> = {};
    for (const c of columns) {
      if (c.dist.type === 'categorical') {
        let arg = 0;
        for (let k = 1; k < c.width; k++)
          if ((point[c.offset + k] as number) > (point[c.offset + arg] as number)) arg = k;
        out[c.name] = c.dist.choices[arg] as ParamValue;
      } else out[c.name] = fromUnit(c.dist, point[c.offset] as number);
    }
    return out;
  }

  /** The best half of `maxPoints` trials by rank plus the most recent others, in number order. */
  private subsample(study: StudyView, complete: readonly FrozenTrial[]): FrozenTrial[] {
    const keep = new Set<number>();
    const ranked = [...complete].sort(compareTrials(study.directions[0] ?? 'minimize'));
    const nBest = Math.ceil(this.maxPoints / 2);
    for (const t of ranked.slice(0, nBest)) keep.add(t.number);
    for (let i = complete.length - 1; i >= 0 && keep.size < this.maxPoints; i--)
      keep.add((complete[i] as FrozenTrial).number);
    return complete.filter((t) => keep.has(t.number));
  }

  private fit(x: Float64Array, n: number, d: number, y: Float64Array, key: string): GpTheta {
    const starts = this.theta?.key === key ? [this.theta.value] : [defaultTheta(d)];
    if (this.theta?.key !== key) {
      const r = defaultTheta(d).map((v, i) => v + (i < d ? this.rng.normal(0, 0.5) : 0));
      starts.push(r);
    }
    let bestTheta = starts[0] as GpTheta;
    let bestValue = Infinity;
    const f = gpObjective(x, n, d, y);
    // A warm start moves little between consecutive trials: fewer iterations.
    const maxIter = starts.length === 1 ? 10 : 40;
    for (const s of starts) {
      const r = lbfgs(f, s, { maxIter });
      if (r.value < bestValue) {
        bestValue = r.value;
        bestTheta = r.x;
      }
    }
    // Keep lengthscales and signal variance in [e^-7, e^5], the noise term in [e^-20, 1].
    bestTheta = bestTheta.map((v, i) =>
      i <= d ? Math.min(5, Math.max(-7, v)) : Math.min(0, Math.max(-20, v)),
    );
    this.theta = { key, value: bestTheta };
    return bestTheta;
  }

  /** Random candidates, then coordinate-wise local search from the best few. */
  private maximize(
    model: GpModel,
    columns: readonly Column[],
    d: number,
    best: number,
    x: Float64Array,
    n: number,
    rng: Rng,
    region?: { lo: Float64Array; hi: Float64Array },
  ): Float64Array {
    const lo = (k: number): number => region?.lo[k] ?? 0;
    const hi = (k: number): number => region?.hi[k] ?? 1;
    const clamp = (k: number, v: number): number => Math.min(hi(k), Math.max(lo(k), v));
    const score = (p: Float64Array): number => {
      const { mean, variance } = model.predict(p);
      return logEI(mean, variance, best);
    };
    const snapRow = (p: Float64Array): void => {
      for (const c of columns) {
        if (c.dist.type !== 'categorical' && Number.isFinite(c.cells)) {
          p[c.offset] =
            (Math.min(
              c.cells - 1,
              Math.floor(Math.min(1, Math.max(0, p[c.offset] as number)) * c.cells),
            ) +
              0.5) /
            c.cells;
        }
      }
    };
    const random = (): Float64Array => {
      const p = new Float64Array(d);
      for (const c of columns) {
        if (c.dist.type === 'categorical') p[c.offset + rng.int(0, c.width - 1)] = 1;
        else p[c.offset] = lo(c.offset) + (hi(c.offset) - lo(c.offset)) * rng.float();
      }
      snapRow(p);
      return p;
    };
    const cands: { p: Float64Array; s: number }[] = [];
    for (let i = 0; i < this.nCandidates; i++) {
      const p = random();
      cands.push({ p, s: score(p) });
    }
    // Perturbations of the best observed points.
    const order = Array.from({ length: n }, (_, i) => i);
    const preds = order.map((i) => model.predict(x.subarray(i * d, i * d + d)).mean);
    order.sort((a, b) => (preds[a] as number) - (preds[b] as number));
    for (const i of order.slice(0, 5)) {
      for (let k = 0; k < 8; k++) {
        const p = Float64Array.from(x.subarray(i * d, i * d + d));
        for (const c of columns)
          if (c.dist.type !== 'categorical')
            p[c.offset] = clamp(c.offset, (p[c.offset] as number) + rng.normal(0, 0.05));
        snapRow(p);
        cands.push({ p, s: score(p) });
      }
    }
    cands.sort((a, b) => b.s - a.s);
    let winner = cands[0] as { p: Float64Array; s: number };
    for (const start of cands.slice(0, 5)) {
      let cur: { p: Float64Array; s: number } = { p: Float64Array.from(start.p), s: start.s };
      for (let step = 0.1; step > 0.005; step /= 2) {
        let improved = true;
        for (let round = 0; round < 4 && improved; round++) {
          improved = false;
          for (const c of columns) {
            const tries: Float64Array[] = [];
            if (c.dist.type === 'categorical') {
              for (let k = 0; k < c.width; k++) {
                if ((cur.p[c.offset + k] as number) === 1) continue;
                const q = Float64Array.from(cur.p);
                for (let j = 0; j < c.width; j++) q[c.offset + j] = j === k ? 1 : 0;
                tries.push(q);
              }
            } else {
              const delta = Number.isFinite(c.cells) ? Math.max(step, 1 / c.cells) : step;
              for (const sgn of [-1, 1]) {
                const q = Float64Array.from(cur.p);
                q[c.offset] = clamp(c.offset, (q[c.offset] as number) + sgn * delta);
                snapRow(q);
                tries.push(q);
              }
            }
            for (const q of tries) {
              const s = score(q);
              if (s > cur.s + 1e-12) {
                cur = { p: q, s };
                improved = true;
              }
            }
          }
        }
      }
      if (cur.s > winner.s) winner = cur;
    }
    return winner.p;
  }
}

/**
 * The trust region's side after the losses `ys` (in trial order): 0.8 at first, doubled (up to
 * 1.6) after 3 improvements in a row, halved after `failTol` trials without one, back to 0.8
 * below 2^-7 (TuRBO's schedule, replayed from the history instead of kept as state).
 */
export function trustRegionSide(ys: readonly number[], failTol: number): number {
  let side = 0.8;
  let best = Infinity;
  let succ = 0;
  let fail = 0;
  for (const v of ys) {
    if (v < best - 1e-3 * Math.abs(best)) {
      succ++;
      fail = 0;
    } else {
      fail++;
      succ = 0;
    }
    best = Math.min(best, v);
    if (succ >= 3) {
      side = Math.min(1.6, side * 2);
      succ = 0;
    }
    if (fail >= failTol) {
      side /= 2;
      fail = 0;
    }
    if (side < 2 ** -7) side = 0.8;
  }
  return side;
}
