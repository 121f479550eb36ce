import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { LabelMatrix } from '../matrix.js';
import { baseState, checkPredict, correlationSet, setupFit } from './common.js';
import type { FitOptions, LabelModel, LabelModelState, TiePolicy } from './label-model.js';

/** Config of {@link Triplet}. */
export const TripletConfig = z.object({
  cardinality: z.number().int().min(2).optional(),
  /** Covariances smaller than this in absolute value are not used as triplet denominators. */
  minCov: z.number().positive().default(1e-5),
  /** Clamp of the conditional probabilities. */
  eps: z.number().positive().default(1e-4),
  /** Fixed-point rounds when the class balance is estimated. */
  balanceRounds: z.number().int().min(1).default(10),
  tiePolicy: z.enum(['abstain', 'random', 'prior', 'lowest']).default('abstain'),
});

/**
 * The closed-form triplet method (FlyingSquid; Fu et al. 2020, "Fast and three-rious"), on vote
 * indicators. For a binary task with Y in {-1, +1} and the indicator z_(j,a) = [lf_j = a],
 * E[z | Y] = c + b Y, so for LFs conditionally independent given Y,
 * Cov(z_(j,a), z_(l,c)) = b_(j,a) b_(l,c) Var(Y): a rank-one matrix off the LF blocks. Each |b| is
 * solved in closed form from triplets of distinct LFs, |b_u| = sqrt(|S_uv S_uw / S_vw|) (median
 * over all usable triplets), with signs from the better-than-random assumption (voting class 1
 * correlates positively with Y = 1). No iterative optimisation: one pass to build the
 * covariances, then O((mk)^3) arithmetic. Abstains are modelled (P(abstain | Y) = 1 - sum).
 *
 * Multi-class: one-vs-rest binary problems (class c against the rest), posteriors normalised
 * across classes — an approximation, as in FlyingSquid. Class balance: estimated by default
 * (fixed point of balance -> model -> mean posterior), or given. Correlated LF pairs are never
 * used together in a triplet.
 */
export class Triplet implements LabelModel {
  readonly kind = 'triplet';
  readonly supportsCorrelations = true;
  readonly tiePolicy: TiePolicy;
  cardinality = 0;
  classBalance: readonly number[] = [];
  private lfNames: readonly string[] = [];
  /**
   * Per one-vs-rest problem c (one problem when k = 2): log P(lf_j = a | Y_c = s) with
   * a in {abstain, vote-against (other class), vote-for}; m x 3 x 2 each.
   */
  private logQ: Float64Array[] = [];
  private readonly config: z.infer<typeof TripletConfig>;

  constructor(config: z.input<typeof TripletConfig> = {}) {
    this.config = TripletConfig.parse(config);
    this.tiePolicy = this.config.tiePolicy;
  }

  fit(L: LabelMatrix, opts: FitOptions = {}): this {
    const s = setupFit(this, L, opts, this.config.cardinality, 'estimate');
    if (L.m < 3)
      throw new MortarError('INVALID_ARGUMENT', `triplet needs at least 3 LFs, got ${L.m}`);
    const k = s.k;
    this.cardinality = k;
    this.lfNames = L.lfNames;
    const corr = correlationSet(s.correlations, L.m);
    const problems = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
    let balance = Float64Array.from(s.balance);
    const rounds = s.estimateBalance ? this.config.balanceRounds : 1;
    for (let r = 0; r < rounds; r++) {
      this.logQ = problems.map((c) =>
        this.fitBinary(L, c, k === 2 ? balance[1]! : balance[c]!, corr),
      );
      this.classBalance = [...balance];
      if (!s.estimateBalance) break;
      const probs = this.predictProba(L);
      const next = new Float64Array(k);
      for (let i = 0; i < L.n; i++) for (let y = 0; y < k; y++) next[y]! += probs[i * k + y]!;
      let tot = 0;
      for (let y = 0; y < k; y++)
        tot += next[y] = Math.min(Math.max(next[y]! / Math.max(1, L.n), 0.01), 0.99);
      const moved = next.reduce((a, v, y) => Math.max(a, Math.abs(v / tot - balance[y]!)), 0);
      balance = next.map((v) => v / tot);
      if (moved < 1e-4) break;
    }
    this.classBalance = [...balance];
    return this;
  }

  /** One binary problem: "positive" = votes for class c; returns log P(a | s) as m x 3 x 2. */
  private fitBinary(L: LabelMatrix, c: number, p: number, corr: Set<number>): Float64Array {
    const m = L.m;
    const V = 2 * m; // variables u = 2j (vote against c) and 2j + 1 (vote for c)
    const n = Math.max(1, L.n);
    const mean = new Float64Array(V);
    const S = new Float64Array(V * V);
    const idx: number[] = [];
    for (let i = 0; i < L.n; i++) {
      idx.length = 0;
      for (let q = L.rowPtr[i]!; q < L.rowPtr[i + 1]!; q++)
        idx.push(2 * L.cols[q]! + (L.labels[q] === c ? 1 : 0));
      for (const u of idx) {
        mean[u]! += 1;
        for (const v of idx) S[u * V + v]! += 1;
      }
    }
    for (let u = 0; u < V; u++) mean[u]! /= n;
    for (let u = 0; u < V; u++)
      for (let v = 0; v < V; v++) S[u * V + v] = S[u * V + v]! / n - mean[u]! * mean[v]!;
    const lf = (u: number) => u >> 1;
    const indep = (u: number, v: number) => lf(u) !== lf(v) && !corr.has(lf(u) * m + lf(v));
    const sigma = 2 * Math.sqrt(p * (1 - p)); // sd of Y in {-1, +1}
    const b = new Float64Array(V);
    const vals: number[] = [];
    for (let u = 0; u < V; u++) {
      vals.length = 0;
      if (mean[u]! > 0) {
        for (let v = 0; v < V; v++) {
          if (!indep(u, v) || mean[v] === 0) continue;
          for (let w = v + 1; w < V; w++) {
            if (!indep(u, w) || !indep(v, w) || mean[w] === 0) continue;
            const den = S[v * V + w]!;
            if (Math.abs(den) < this.config.minCov) continue;
            vals.push(Math.sqrt(Math.abs((S[u * V + v]! * S[u * V + w]!) / den)));
          }
        }
      }
      vals.sort((x, y) => x - y);
      const med = vals.length ? vals[vals.length >> 1]! : 0;
      b[u] = (u & 1 ? 1 : -1) * med; // better than random: a vote for c rises with Y = c
    }
    // E[z_u | Y = s] = mean_u - a_u (2p - 1) + a_u s, a_u = b_u / sigma.
    const eps = this.config.eps;
    const out = new Float64Array(m * 3 * 2);
    for (let j = 0; j < m; j++) {
      for (let si = 0; si < 2; si++) {
        const sgn = si === 1 ? 1 : -1;
        const q = [0, 0];
        for (let t = 0; t < 2; t++) {
          const u = 2 * j + t;
          const a = sigma > 0 ? b[u]! / sigma : 0;
          q[t] = Math.min(1 - eps, Math.max(eps, mean[u]! - a * (2 * p - 1) + a * sgn));
        }
        let tot = q[0]! + q[1]!;
        if (tot > 1 - eps) {
          q[0] = (q[0]! * (1 - eps)) / tot;
          q[1] = (q[1]! * (1 - eps)) / tot;
          tot = 1 - eps;
        }
        out[(j * 3 + 0) * 2 + si] = Math.log(1 - tot);
        out[(j * 3 + 1) * 2 + si] = Math.log(q[0]!);
        out[(j * 3 + 2) * 2 + si] = Math.log(q[1]!);
      }
    }
    return out;
  }

  predictProba(L: LabelMatrix): Float64Array {
    checkPredict(this, this.lfNames, L);
    const k = this.cardinality;
    const m = L.m;
    const out = new Float64Array(L.n * k);
    const problems = k === 2 ? [1] : Array.from({ length: k }, (_, c) => c);
    problems.forEach((c, t) => {
      const lq = this.logQ[t]!;
      const p = this.classBalance[c]!;
      let base0 = Math.log(1 - p);
      let base1 = Math.log(p);
      for (let j = 0; j < m; j++) {
        base0 += lq[j * 6]!;
        base1 += lq[j * 6 + 1]!;
      }
      for (let i = 0; i < L.n; i++) {
        let l0 = base0;
        let l1 = base1;
        for (let q = L.rowPtr[i]!; q < L.rowPtr[i + 1]!; q++) {
          const j = L.cols[q]!;
          const a = L.labels[q] === c ? 2 : 1;
          l0 += lq[(j * 3 + a) * 2]! - lq[j * 6]!;
          l1 += lq[(j * 3 + a) * 2 + 1]! - lq[j * 6 + 1]!;
        }
        const pc = 1 / (1 + Math.exp(l0 - l1));
        if (k === 2) {
          out[i * 2 + 1] = pc;
          out[i * 2] = 1 - pc;
        } else out[i * k + c] = pc;
      }
    });
    if (k > 2) {
      for (let i = 0; i < L.n; i++) {
        let s = 0;
        for (let y = 0; y < k; y++) s += out[i * k + y]!;
        for (let y = 0; y < k; y++) out[i * k + y] = s > 0 ? out[i * k + y]! / s : 1 / k;
      }
    }
    return out;
  }

  toJSON(): LabelModelState {
    return baseState(this, { ...this.config } as never, this.lfNames, {
      logQ: this.logQ.map((a) => [...a]),
    });
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static restore(state: LabelModelState): Triplet {
    const m = new Triplet(state.config as z.input<typeof TripletConfig>);
    m.cardinality = state.cardinality;
    m.classBalance = state.classBalance;
    m.lfNames = state.lfNames;
    m.logQ = (state.params['logQ'] as number[][]).map((a) => Float64Array.from(a));
    return m;
  }
}
