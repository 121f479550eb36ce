/**
 * Optuna-style Parzen estimators for TPE: a weighted mixture of one kernel per observation plus a
 * prior kernel. Numeric kernels are Gaussians truncated to the (padded, log-transformed) range,
 * with discrete values scored by their cell's mass; categorical kernels put weight 1 on the
 * observed choice plus `priorWeight / (n + 1)` smoothing on every choice.
 */
import type { Rng } from '../../core/rng.js';
import {
  paddedBounds,
  snap,
  type Distribution,
  type FloatDistribution,
  type IntDistribution,
} from '../distributions.js';
import {
  LOG_INV_SQRT_2PI,
  logGaussMass,
  logSumExp,
  truncatedNormal,
  weightedIndex,
} from './math.js';
import type { RelativeSpace } from './sampler.js';

/** Options of a Parzen estimator (Optuna's defaults). */
export interface ParzenOptions {
  /** Weight of the prior kernel (default 1). */
  readonly priorWeight: number;
  /** Clip bandwidths below at range / min(100, n + 1) (default true). */
  readonly considerMagicClip: boolean;
  /** Let the end kernels' bandwidth reach the range ends (default false). */
  readonly considerEndpoints: boolean;
  /** Joint (multivariate) bandwidths by Scott's rule rather than neighbour distances. */
  readonly multivariate: boolean;
}

interface NumericKernel {
  readonly kind: 'numeric';
  readonly dist: FloatDistribution | IntDistribution;
  readonly log: boolean;
  readonly step: number | undefined;
  readonly lo: number;
  readonly hi: number;
  readonly mus: Float64Array;
  readonly sigmas: Float64Array;
  readonly logZ: Float64Array;
  readonly invSigmas: Float64Array;
  /** log(1 / (sqrt(2 pi) sigma)) - log Z, per kernel. */
  readonly logNorm: Float64Array;
}

interface CategoricalKernel {
  readonly kind: 'categorical';
  readonly n: number;
  /** log probabilities, component-major: [k * n + choice]. */
  readonly logp: Float64Array;
  /** cumulative probabilities, same layout. */
  readonly cum: Float64Array;
}

type Kernel = NumericKernel | CategoricalKernel;

/** Internal values of candidates: per parameter, a column of numbers (categoricals: index). */
export type Columns = Record<string, Float64Array>;

/** A mixture over the parameters of `space`, fitted to `observations` (internal repr columns). */
export class ParzenEstimator {
  private readonly names: string[];
  private readonly kernels: Kernel[];
  private readonly logw: Float64Array;
  private readonly cumw: Float64Array;
  /** Number of mixture components (observations + prior). */
  readonly size: number;

  constructor(
    observations: Columns,
    space: RelativeSpace,
    weights: ArrayLike<number>,
    opts: ParzenOptions,
  ) {
    this.names = Object.keys(space);
    const n = weights.length;
    this.size = n + 1;
    const w = new Float64Array(this.size);
    let total = 0;
    for (let i = 0; i < n; i++) total += w[i] = weights[i] as number;
    w[n] = opts.priorWeight;
    total += opts.priorWeight;
    this.logw = w.map((x) => Math.log(x / total));
    this.cumw = new Float64Array(this.size);
    let c = 0;
    for (let i = 0; i < this.size; i++) this.cumw[i] = c += (w[i] as number) / total;
    const d = this.names.length;
    this.kernels = this.names.map((name) => {
      const dist = space[name] as Distribution;
      const obs = observations[name] ?? new Float64Array(0);
      return dist.type === 'categorical'
        ? categoricalKernel(dist.choices.length, obs, opts)
        : numericKernel(dist, obs, d, opts);
    });
  }

  /** Draws `count` candidates (snapped to their distributions). */
  sample(rng: Rng, count: number): Columns {
    const out: Columns = {};
    for (const name of this.names) out[name] = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const k = weightedIndex(rng, this.cumw);
      this.names.forEach((name, j) => {
        const kern = this.kernels[j] as Kernel;
        (out[name] as Float64Array)[i] = sampleKernel(rng, kern, k);
      });
    }
    return out;
  }

  /** Log density (log mass for discrete parameters) of each candidate; the Jacobian of log scaling is omitted. */
  logPdf(cands: Columns, count: number): Float64Array {
    const K = this.size;
    const acc = new Float64Array(count * K);
    for (let i = 0; i < count; i++) acc.set(this.logw, i * K);
    this.names.forEach((name, j) => {
      const kern = this.kernels[j] as Kernel;
      const col = cands[name] as Float64Array;
      for (let i = 0; i < count; i++) addKernelLogPdf(kern, col[i] as number, acc, i * K);
    });
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) out[i] = logSumExp(acc, i * K, K);
    return out;
  }
}

function numericKernel(
  dist: FloatDistribution | IntDistribution,
  obs: Float64Array,
  nDims: number,
  opts: ParzenOptions,
): NumericKernel {
  const log = dist.log;
  const step = dist.type === 'int' ? dist.step : dist.step;
  const [plo, phi] = paddedBounds(dist);
  const lo = log ? Math.log(plo) : plo;
  const hi = log ? Math.log(phi) : phi;
  const n = obs.length;
  const mus = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) mus[i] = log ? Math.log(obs[i] as number) : (obs[i] as number);
  mus[n] = 0.5 * (lo + hi);
  const range = hi - lo;
  const sigmas = new Float64Array(n + 1);
  if (opts.multivariate) {
    sigmas.fill(0.2 * Math.max(n, 1) ** (-1 / (nDims + 4)) * range);
  } else {
    const order = Array.from(mus.keys()).sort((a, b) => (mus[a] as number) - (mus[b] as number));
    const m = order.length;
    const sorted = order.map((i) => mus[i] as number);
    const withEnds = [lo, ...sorted, hi];
    const ss = sorted.map((_, i) =>
      Math.max(
        (withEnds[i + 1] as number) - (withEnds[i] as number),
        (withEnds[i + 2] as number) - (withEnds[i + 1] as number),
      ),
    );
    if (!opts.considerEndpoints && withEnds.length >= 4) {
      ss[0] = (withEnds[2] as number) - (withEnds[1] as number);
      ss[m - 1] = (withEnds[m] as number) - (withEnds[m - 1] as number);
    }
    order.forEach((idx, i) => (sigmas[idx] = ss[i] as number));
  }
  const maxSigma = range;
  const minSigma = opts.considerMagicClip ? range / Math.min(100, n + 2) : 1e-12;
  for (let i = 0; i < n + 1; i++)
    sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i] as number));
  sigmas[n] = range;
  const logZ = new Float64Array(n + 1);
  for (let i = 0; i < n + 1; i++) {
    const s = sigmas[i] as number;
    const mu = mus[i] as number;
    logZ[i] = s > 0 ? logGaussMass((lo - mu) / s, (hi - mu) / s) : 0;
  }
  const invSigmas = sigmas.map((v) => 1 / v);
  const logNorm = sigmas.map((v, i) => LOG_INV_SQRT_2PI - Math.log(v) - (logZ[i] as number));
  return { kind: 'numeric', dist, log, step, lo, hi, mus, sigmas, logZ, invSigmas, logNorm };
}

function categoricalKernel(
  nChoices: number,
  obs: Float64Array,
  opts: ParzenOptions,
): CategoricalKernel {
  const n = obs.length;
  const K = n + 1;
  const p = new Float64Array(K * nChoices).fill(opts.priorWeight / K);
  for (let i = 0; i < n; i++) p[i * nChoices + (obs[i] as number)]! += 1;
  const logp = new Float64Array(K * nChoices);
  const cum = new Float64Array(K * nChoices);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let c = 0; c < nChoices; c++) s += p[k * nChoices + c] as number;
    let acc = 0;
    for (let c = 0; c < nChoices; c++) {
      const q = (p[k * nChoices + c] as number) / s;
      logp[k * nChoices + c] = Math.log(q);
      cum[k * nChoices + c] = acc += q;
    }
  }
  return { kind: 'categorical', n: nChoices, logp, cum };
}

function sampleKernel(rng: Rng, kern: Kernel, k: number): number {
  if (kern.kind === 'categorical') {
    const u = rng.float() * (kern.cum[k * kern.n + kern.n - 1] as number);
    for (let c = 0; c < kern.n; c++) if ((kern.cum[k * kern.n + c] as number) > u) return c;
    return kern.n - 1;
  }
  if (kern.hi <= kern.lo) return kern.dist.low;
  const x = truncatedNormal(rng, kern.mus[k] as number, kern.sigmas[k] as number, kern.lo, kern.hi);
  return snap(kern.dist, kern.log ? Math.exp(x) : x);
}

function addKernelLogPdf(kern: Kernel, x: number, acc: Float64Array, off: number): void {
  const K =
    acc.length === 0
      ? 0
      : kern.kind === 'categorical'
        ? kern.logp.length / kern.n
        : kern.mus.length;
  if (kern.kind === 'categorical') {
    for (let k = 0; k < K; k++) acc[off + k]! += kern.logp[k * kern.n + x] as number;
    return;
  }
  if (kern.hi <= kern.lo) return;
  if (kern.step === undefined) {
    const t = kern.log ? Math.log(x) : x;
    const { mus, invSigmas, logNorm } = kern;
    for (let k = 0; k < K; k++) {
      const z = (t - (mus[k] as number)) * (invSigmas[k] as number);
      acc[off + k]! += (logNorm[k] as number) - 0.5 * z * z;
    }
    return;
  }
  const half = 0.5 * kern.step;
  const a = Math.max(kern.lo, kern.log ? Math.log(Math.max(x - half, 1e-300)) : x - half);
  const b = Math.min(kern.hi, kern.log ? Math.log(x + half) : x + half);
  for (let k = 0; k < K; k++) {
    const s = kern.sigmas[k] as number;
    const mu = kern.mus[k] as number;
    acc[off + k]! += logGaussMass((a - mu) / s, (b - mu) / s) - (kern.logZ[k] as number);
  }
}
