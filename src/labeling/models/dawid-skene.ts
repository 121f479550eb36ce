import { z } from 'zod';
import type { LabelMatrix } from '../matrix.js';
import { baseState, checkPredict, setupFit, softmaxRows } from './common.js';
import type { FitOptions, LabelModel, LabelModelState, TiePolicy } from './label-model.js';
import { MajorityVote } from './majority.js';

/** Config of {@link DawidSkene}. */
export const DawidSkeneConfig = z.object({
  cardinality: z.number().int().min(2).optional(),
  maxIter: z.number().int().min(1).default(100),
  /** Stop when no posterior moves by more than this. */
  tol: z.number().positive().default(1e-6),
  /** Dirichlet pseudo-count added to every confusion-matrix cell. */
  smoothing: z.number().min(0).default(0.01),
  tiePolicy: z.enum(['abstain', 'random', 'prior', 'lowest']).default('abstain'),
});

/**
 * Dawid & Skene (1979) EM: every LF has a confusion matrix P(lf_j = a | Y = y) over its k votes
 * **and abstain** (abstaining is an output, so LFs that only ever vote one class still carry
 * evidence through when they fire), plus a class prior. EM starts from majority-vote posteriors
 * and alternates posteriors (E) and smoothed confusion counts (M) until posteriors settle.
 *
 * Class balance: estimated by EM by default; a given balance stays fixed. Assumes LFs are
 * conditionally independent given Y (no `correlations`).
 */
export class DawidSkene implements LabelModel {
  readonly kind = 'dawid-skene';
  readonly supportsCorrelations = false;
  readonly tiePolicy: TiePolicy;
  cardinality = 0;
  classBalance: readonly number[] = [];
  private lfNames: readonly string[] = [];
  /** log P(lf_j = a | Y = y), m x (k + 1) x k, a = 0 is abstain, a = c + 1 is class c. */
  private logTheta = new Float64Array(0);
  /** Iterations the last fit ran. */
  iterations = 0;
  private readonly config: z.infer<typeof DawidSkeneConfig>;

  constructor(config: z.input<typeof DawidSkeneConfig> = {}) {
    this.config = DawidSkeneConfig.parse(config);
    this.tiePolicy = this.config.tiePolicy;
  }

  fit(L: LabelMatrix, opts: FitOptions = {}): this {
    const s = setupFit(this, L, opts, this.config.cardinality, 'estimate');
    const k = s.k;
    const m = L.m;
    this.cardinality = k;
    this.lfNames = L.lfNames;
    let prior = Float64Array.from(s.balance);
    const mv = new MajorityVote({ cardinality: k }).fit(L, { classBalance: [...s.balance] });
    let post = mv.predictProba(L);
    const cnt = new Float64Array(m * (k + 1) * k);
    const colTot = new Float64Array(k);
    this.iterations = 0;
    for (let it = 0; it < this.config.maxIter; it++) {
      this.iterations = it + 1;
      // M-step.
      colTot.fill(0);
      for (let i = 0; i < L.n; i++) for (let y = 0; y < k; y++) colTot[y]! += post[i * k + y]!;
      cnt.fill(this.config.smoothing);
      for (let i = 0; i < L.n; i++) {
        for (let q = L.rowPtr[i]!; q < L.rowPtr[i + 1]!; q++) {
          const base = (L.cols[q]! * (k + 1) + L.labels[q]! + 1) * k;
          for (let y = 0; y < k; y++) cnt[base + y]! += post[i * k + y]!;
        }
      }
      // Abstain counts = column totals minus vote counts.
      const lt = new Float64Array(cnt.length);
      for (let j = 0; j < m; j++) {
        for (let y = 0; y < k; y++) {
          let votes = 0;
          for (let a = 1; a <= k; a++)
            votes += cnt[(j * (k + 1) + a) * k + y]! - this.config.smoothing;
          cnt[j * (k + 1) * k + y] = Math.max(0, colTot[y]! - votes) + this.config.smoothing;
          let tot = 0;
          for (let a = 0; a <= k; a++) tot += cnt[(j * (k + 1) + a) * k + y]!;
          for (let a = 0; a <= k; a++) {
            const idx = (j * (k + 1) + a) * k + y;
            lt[idx] = Math.log(Math.max(cnt[idx]! / tot, 1e-300));
          }
        }
      }
      this.logTheta = lt;
      if (s.estimateBalance) {
        let tot = 0;
        for (let y = 0; y < k; y++) tot += colTot[y]! + 1e-9;
        prior = colTot.map((v) => (v + 1e-9) / tot);
      }
      this.classBalance = [...prior];
      // E-step.
      const next = this.posteriors(L);
      let delta = 0;
      for (let t = 0; t < next.length; t++) delta = Math.max(delta, Math.abs(next[t]! - post[t]!));
      post = next;
      if (delta < this.config.tol) break;
    }
    return this;
  }

  private posteriors(L: LabelMatrix): Float64Array {
    const k = this.cardinality;
    const m = this.lfNames.length;
    const lt = this.logTheta;
    // Start every row from "all abstain", then swap in each vote.
    const base = new Float64Array(k);
    for (let y = 0; y < k; y++) {
      let v = Math.log(this.classBalance[y]!);
      for (let j = 0; j < m; j++) v += lt[j * (k + 1) * k + y]!;
      base[y] = v;
    }
    const out = new Float64Array(L.n * k);
    for (let i = 0; i < L.n; i++) {
      const o = i * k;
      for (let y = 0; y < k; y++) out[o + y] = base[y]!;
      for (let q = L.rowPtr[i]!; q < L.rowPtr[i + 1]!; q++) {
        const j = L.cols[q]!;
        const a = L.labels[q]! + 1;
        for (let y = 0; y < k; y++)
          out[o + y]! += lt[(j * (k + 1) + a) * k + y]! - lt[j * (k + 1) * k + y]!;
      }
    }
    return softmaxRows(out, k);
  }

  predictProba(L: LabelMatrix): Float64Array {
    checkPredict(this, this.lfNames, L);
    return this.posteriors(L);
  }

  toJSON(): LabelModelState {
    return baseState(this, { ...this.config } as never, this.lfNames, {
      logTheta: [...this.logTheta],
    });
  }

  /** Rebuilds from {@link toJSON}'s output. */
  static restore(state: LabelModelState): DawidSkene {
    const m = new DawidSkene(state.config as z.input<typeof DawidSkeneConfig>);
    m.cardinality = state.cardinality;
    m.classBalance = state.classBalance;
    m.lfNames = state.lfNames;
    m.logTheta = Float64Array.from(state.params['logTheta'] as number[]);
    return m;
  }
}
