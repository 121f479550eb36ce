import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { LabelMatrix } from '../matrix.js';
import { baseState, checkPredict, correlationSet, setupFit, softmaxRows } from './common.js';
import type { FitOptions, LabelModel, LabelModelState, TiePolicy } from './label-model.js';

/** Config of {@link MatrixCompletion}; the defaults are Snorkel 0.10's `LabelModel.fit` defaults. */
export const MatrixCompletionConfig = z.object({
  cardinality: z.number().int().min(2).optional(),
  nEpochs: z.number().int().min(1).default(100),
  lr: z.number().positive().default(0.01),
  /** Centred L2 penalty towards the initial mu (Snorkel's `l2`). */
  l2: z.number().min(0).default(0),
  /** SGD momentum (Snorkel's `SGDOptimizerConfig.momentum`). */
  momentum: z.number().min(0).max(1).default(0.9),
  /** Initial LF precision P(Y = y | lf = y) (Snorkel's `prec_init`). */
  precInit: z.number().gt(0).lt(1).default(0.7),
  /** Clamp of the learned conditionals; default min(0.01, 10^-ceil(log10 n)) as in Snorkel. */
  muEps: z.number().positive().optional(),
  seed: z.number().default(123),
  tiePolicy: z.enum(['abstain', 'random', 'prior', 'lowest']).default('abstain'),
});

/**
 * The matrix-completion label model of Ratner et al. 2019 ("Training complex models with
 * multi-task weak supervision"), as Snorkel's `LabelModel` implements it, with its defaults, so
 * numbers compare: O = (1/n) Lind^T Lind over one-hot votes (d = m k), parameters
 * mu[(j, a), y] = P(lf_j = a | Y = y), loss ||(O - mu P mu^T)[mask]||^2 +
 * ||rowsum(mu P) - diag(O)||^2 (+ centred L2), 100 full-batch SGD steps (lr 0.01, momentum 0.9)
 * from mu_init = clamp(P(lf_j = y) * precInit / P(Y = y)) times one seeded uniform draw, then
 * clamping to [eps, 1 - eps] and the column permutation that trusts the LFs most. Predictions
 * are naive Bayes over the votes (abstains omitted), as in Snorkel.
 *
 * Class balance: given, or uniform by default (Snorkel's default); `'estimate'` uses the
 * majority-vote class shares. Correlated LF pairs are masked out of the O fit (their block of O
 * is not explained by mu P mu^T), as Snorkel's clique mask does.
 */
export class MatrixCompletion implements LabelModel {
  readonly kind = 'matrix-completion';
  readonly supportsCorrelations = true;
  readonly tiePolicy: TiePolicy;
  cardinality = 0;
  classBalance: readonly number[] = [];
  private lfNames: readonly string[] = [];
  /** d x k row-major. */
  private mu: Float64Array = new Float64Array(0);
  private readonly config: z.infer<typeof MatrixCompletionConfig>;

  constructor(config: z.input<typeof MatrixCompletionConfig> = {}) {
    this.config = MatrixCompletionConfig.parse(config);
    this.tiePolicy = this.config.tiePolicy;
  }

  fit(L: LabelMatrix, opts: FitOptions = {}): this {
    const s = setupFit(this, L, opts, this.config.cardinality, 'uniform');
    if (L.m < 3)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `matrix-completion needs at least 3 LFs, got ${L.m}`,
      );
    const k = s.k;
    const m = L.m;
    const d = m * k;
    const n = Math.max(1, L.n);
    const p = s.estimateBalance ? mvBalance(L, k) : s.balance;
    // O = Lind^T Lind / n (only pairs of votes in the same row contribute).
    const O = new Float64Array(d * d);
    for (let i = 0; i < L.n; i++) {
      const a = L.rowPtr[i]!;
      const b = L.rowPtr[i + 1]!;
      for (let u = a; u < b; u++) {
        const r = L.cols[u]! * k + L.labels[u]!;
        for (let v = a; v < b; v++) O[r * d + L.cols[v]! * k + L.labels[v]!]! += 1;
      }
    }
    for (let t = 0; t < O.length; t++) O[t]! /= n;
    // Mask: off the block diagonal, and off blocks of correlated pairs.
    const corr = correlationSet(s.correlations, m);
    const mask = new Uint8Array(d * d);
    for (let r = 0; r < d; r++) {
      for (let c = 0; c < d; c++) {
        const jr = Math.floor(r / k);
        const jc = Math.floor(c / k);
        mask[r * d + c] = jr !== jc && !corr.has(jr * m + jc) ? 1 : 0;
      }
    }
    // mu_init (Snorkel): mu[(j, y), y] = clamp(O[(j,y),(j,y)] * prec / p_y, 0, 1), times one uniform draw.
    const rng = new Rng(opts.seed ?? this.config.seed);
    const muInit = new Float64Array(d * k);
    for (let j = 0; j < m; j++) {
      for (let y = 0; y < k; y++) {
        const idx = j * k + y;
        muInit[idx * k + y] = Math.min(
          1,
          Math.max(0, (O[idx * d + idx]! * this.config.precInit) / p[y]!),
        );
      }
    }
    const scale = rng.float();
    const mu = muInit.map((v) => v * scale);
    const vel = new Float64Array(d * k);
    const grad = new Float64Array(d * k);
    const muP = new Float64Array(d * k);
    const R = new Float64Array(d * d);
    const { lr, momentum, l2 } = this.config;
    for (let epoch = 0; epoch < this.config.nEpochs; epoch++) {
      for (let r = 0; r < d; r++)
        for (let y = 0; y < k; y++) muP[r * k + y] = mu[r * k + y]! * p[y]!;
      // R = (mu P mu^T - O) on the mask.
      for (let r = 0; r < d; r++) {
        for (let c = r; c < d; c++) {
          let v = 0;
          if (mask[r * d + c]) {
            for (let y = 0; y < k; y++) v += muP[r * k + y]! * mu[c * k + y]!;
            v -= O[r * d + c]!;
          }
          R[r * d + c] = v;
          R[c * d + r] = v;
        }
      }
      // d/dmu ||R||^2 = 4 R mu P; d/dmu ||rowsum(mu P) - diag O||^2 = 2 s p^T; L2: 2 l2^2 (mu - mu0).
      grad.fill(0);
      for (let r = 0; r < d; r++) {
        let srow = -O[r * d + r]!;
        for (let y = 0; y < k; y++) srow += muP[r * k + y]!;
        for (let c = 0; c < d; c++) {
          const v = R[r * d + c]!;
          if (v === 0) continue;
          for (let y = 0; y < k; y++) grad[r * k + y]! += 4 * v * muP[c * k + y]!;
        }
        for (let y = 0; y < k; y++)
          grad[r * k + y]! +=
            2 * srow * p[y]! + 2 * l2 * l2 * (mu[r * k + y]! - muInit[r * k + y]!);
      }
      // torch.optim.SGD with momentum (dampening 0, no nesterov); Snorkel's weight_decay = l2 too.
      for (let t = 0; t < mu.length; t++) {
        const g = grad[t]! + l2 * mu[t]!;
        vel[t] = epoch === 0 ? g : momentum * vel[t]! + g;
        mu[t]! -= lr * vel[t]!;
      }
    }
    if (mu.some((v) => Number.isNaN(v))) {
      throw new MortarError('INTERNAL', 'matrix-completion: loss diverged (NaN); lower lr');
    }
    const eps = this.config.muEps ?? Math.min(0.01, 1 / 10 ** Math.ceil(Math.log10(n)));
    for (let t = 0; t < mu.length; t++) mu[t] = Math.min(1 - eps, Math.max(eps, mu[t]!));
    this.mu = breakSymmetry(mu, m, k, p);
    this.cardinality = k;
    this.classBalance = [...p];
    this.lfNames = L.lfNames;
    return this;
  }

  /** P(lf_j = a | Y = y) for a in 0..k-1, as an m x k x k array [j][a][y]. */
  conditionals(): number[][][] {
    const k = this.cardinality;
    return this.lfNames.map((_, j) =>
      Array.from({ length: k }, (_, a) =>
        Array.from({ length: k }, (_, y) => this.mu[(j * k + a) * k + y]!),
      ),
    );
  }

  predictProba(L: LabelMatrix): Float64Array {
    checkPredict(this, this.lfNames, L);
    const k = this.cardinality;
    const logMu = this.mu.map(Math.log);
    const logP = this.classBalance.map(Math.log);
    const out = new Float64Array(L.n * k);
    for (let i = 0; i < L.n; i++) {
      const o = i * k;
      for (let y = 0; y < k; y++) out[o + y] = logP[y]!;
      for (let q = L.rowPtr[i]!; q < L.rowPtr[i + 1]!; q++) {
        const r = (L.cols[q]! * k + L.labels[q]!) * k;
        for (let y = 0; y < k; y++) out[o + y]! += logMu[r + y]!;
      }
    }
    return softmaxRows(out, k);
  }

  toJSON(): LabelModelState {
    return baseState(this, { ...this.config } as never, this.lfNames, { mu: [...this.mu] });
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static restore(state: LabelModelState): MatrixCompletion {
    const m = new MatrixCompletion(state.config as z.input<typeof MatrixCompletionConfig>);
    m.cardinality = state.cardinality;
    m.classBalance = state.classBalance;
    m.lfNames = state.lfNames;
    m.mu = Float64Array.from(state.params['mu'] as number[]);
    return m;
  }
}

/** Class shares of majority-vote hard labels over rows with votes (uniform fallback), floored at 1e-3. */
export function mvBalance(L: LabelMatrix, k: number): Float64Array {
  const c = new Float64Array(k);
  const votes = new Float64Array(k);
  for (let i = 0; i < L.n; i++) {
    const s = L.rowPtr[i]!;
    const e = L.rowPtr[i + 1]!;
    if (s === e) continue;
    votes.fill(0);
    for (let q = s; q < e; q++) votes[L.labels[q]!]!++;
    let mx = 0;
    for (let y = 0; y < k; y++) if (votes[y]! > mx) mx = votes[y]!;
    let t = 0;
    for (let y = 0; y < k; y++) if (votes[y] === mx) t++;
    for (let y = 0; y < k; y++) if (votes[y] === mx) c[y]! += 1 / t;
  }
  let tot = 0;
  for (let y = 0; y < k; y++) tot += c[y] = Math.max(c[y]!, 1e-3 * L.n, 1e-9);
  return c.map((v) => v / tot);
}

/**
 * Snorkel's `_break_col_permutation_symmetry`: among column permutations that keep P (classes
 * with equal prior, to 3 decimals), pick the one maximising sum_j sum_y P(lf_j = y, Y = y).
 * Exhaustive over each group of equal priors (groups of up to 8 classes; larger groups keep
 * the identity).
 */
function breakSymmetry(mu: Float64Array, m: number, k: number, p: ArrayLike<number>): Float64Array {
  // probsSum[a][y] = sum_j mu[(j,a), y] * p_y
  const ps = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (_, y) => {
      let s = 0;
      for (let j = 0; j < m; j++) s += mu[(j * k + a) * k + y]!;
      return s * p[y]!;
    }),
  );
  const groups = new Map<number, number[]>();
  for (let y = 0; y < k; y++) {
    const key = Math.round(p[y]! * 1000);
    groups.set(key, [...(groups.get(key) ?? []), y]);
  }
  const perm = Array.from({ length: k }, (_, y) => y); // new column y takes old column perm[y]
  for (const g of groups.values()) {
    if (g.length < 2 || g.length > 8) continue;
    let best = -Infinity;
    let bestPerm = g;
    const visit = (prefix: number[], rest: number[]) => {
      if (rest.length === 0) {
        let s = 0;
        prefix.forEach((old, t) => (s += ps[g[t]!]![old]!));
        if (s > best + 1e-12) {
          best = s;
          bestPerm = prefix;
        }
        return;
      }
      rest.forEach((r, t) => visit([...prefix, r], [...rest.slice(0, t), ...rest.slice(t + 1)]));
    };
    visit([], g);
    g.forEach((y, t) => (perm[y] = bestPerm[t]!));
  }
  const out = new Float64Array(mu.length);
  const d = m * k;
  for (let r = 0; r < d; r++) for (let y = 0; y < k; y++) out[r * k + y] = mu[r * k + perm[y]!]!;
  return out;
}
