import { z } from 'zod';
import { MortarError } from '../core/errors.js';
import { Rng } from '../core/rng.js';

/** Sparse rows of hashed features (CSR; values are term counts scaled by 1/sqrt(row length)). */
export interface HashedFeatures {
  readonly n: number;
  readonly dim: number;
  readonly rowPtr: Int32Array;
  readonly idx: Int32Array;
  readonly val: Float32Array;
}

/** Hashes the lowercase word tokens of each text into `dim` buckets (FNV-1a). */
export function hashBagOfWords(
  texts: readonly string[],
  dim = 1 << 18,
  maxChars = 20_000,
): HashedFeatures {
  const rowPtr = new Int32Array(texts.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const counts = new Map<number, number>();
  texts.forEach((t, i) => {
    counts.clear();
    for (const m of t
      .slice(0, maxChars)
      .toLowerCase()
      .matchAll(/[a-z0-9$!]{2,20}/g)) {
      let h = 0x811c9dc5;
      const w = m[0];
      for (let c = 0; c < w.length; c++) h = Math.imul(h ^ w.charCodeAt(c), 0x01000193);
      const b = (h >>> 0) % dim;
      counts.set(b, (counts.get(b) ?? 0) + 1);
    }
    let norm = 0;
    for (const c of counts.values()) norm += c * c;
    norm = Math.sqrt(norm) || 1;
    for (const [b, c] of counts) {
      idx.push(b);
      val.push(c / norm);
    }
    rowPtr[i + 1] = idx.length;
  });
  return { n: texts.length, dim, rowPtr, idx: Int32Array.from(idx), val: Float32Array.from(val) };
}

/** Config of {@link NoiseAwareLogReg}. */
export const EndModelConfig = z.object({
  epochs: z.number().int().min(1).default(8),
  lr: z.number().positive().default(0.5),
  l2: z.number().min(0).default(1e-6),
  seed: z.number().default(0),
});

/**
 * The end model: multinomial logistic regression on hashed bag-of-words, trained with weighted
 * soft cross-entropy (the noise-aware loss: the target is the label model's distribution, each
 * row weighted by its confidence), AdaGrad SGD over seeded shuffles. Plain TypeScript on typed
 * arrays; it lives here until the training subsystem exists.
 */
export class NoiseAwareLogReg {
  private W = new Float32Array(0);
  private k = 0;
  private dim = 0;
  private readonly config: z.infer<typeof EndModelConfig>;

  constructor(config: z.input<typeof EndModelConfig> = {}) {
    this.config = EndModelConfig.parse(config);
  }

  /** Fits on features `X`, soft targets (n x k) and row weights (default 1). */
  fit(X: HashedFeatures, soft: Float64Array, k: number, weights?: ArrayLike<number>): this {
    if (soft.length !== X.n * k)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `end model: ${soft.length / k} soft labels for ${X.n} rows`,
      );
    this.k = k;
    this.dim = X.dim;
    const W = new Float32Array(X.dim * k);
    const G = new Float32Array(X.dim * k).fill(1e-8);
    const bias = new Float64Array(k);
    const rng = new Rng(this.config.seed);
    const order = Int32Array.from({ length: X.n }, (_, i) => i);
    const z = new Float64Array(k);
    for (let ep = 0; ep < this.config.epochs; ep++) {
      for (let i = X.n - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) {
        const w = weights ? weights[i]! : 1;
        if (w <= 0) continue;
        this.scores(X, i, W, bias, z);
        for (let c = 0; c < k; c++) {
          const g = w * (z[c]! - soft[i * k + c]!);
          bias[c]! -= 0.05 * g;
          for (let p = X.rowPtr[i]!; p < X.rowPtr[i + 1]!; p++) {
            const t = X.idx[p]! * k + c;
            const gg = g * X.val[p]! + this.config.l2 * W[t]!;
            G[t]! += gg * gg;
            W[t]! -= (this.config.lr * gg) / Math.sqrt(G[t]!);
          }
        }
      }
    }
    this.W = W;
    this.bias = bias;
    return this;
  }

  private bias = new Float64Array(0);

  private scores(
    X: HashedFeatures,
    i: number,
    W: Float32Array,
    bias: Float64Array,
    z: Float64Array,
  ): void {
    const k = this.k;
    for (let c = 0; c < k; c++) z[c] = bias[c]!;
    for (let p = X.rowPtr[i]!; p < X.rowPtr[i + 1]!; p++) {
      const base = X.idx[p]! * k;
      for (let c = 0; c < k; c++) z[c]! += W[base + c]! * X.val[p]!;
    }
    let mx = -Infinity;
    for (let c = 0; c < k; c++) mx = Math.max(mx, z[c]!);
    let s = 0;
    for (let c = 0; c < k; c++) s += z[c] = Math.exp(z[c]! - mx);
    for (let c = 0; c < k; c++) z[c]! /= s;
  }

  /** n x k class probabilities. */
  predictProba(X: HashedFeatures): Float64Array {
    if (this.k === 0)
      throw new MortarError('FAILED_PRECONDITION', 'end model is not fitted; call fit first');
    if (X.dim !== this.dim)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `features have ${X.dim} buckets, model has ${this.dim}`,
      );
    const out = new Float64Array(X.n * this.k);
    const z = new Float64Array(this.k);
    for (let i = 0; i < X.n; i++) {
      this.scores(X, i, this.W, this.bias, z);
      out.set(z, i * this.k);
    }
    return out;
  }
}

/** Accuracy and F1 of class `positive` for hard predictions vs gold (gold -1 rows skipped). */
export function scoreLabels(
  pred: ArrayLike<number>,
  gold: ArrayLike<number>,
  positive = 1,
): { accuracy: number; f1: number; n: number } {
  let ok = 0;
  let n = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    if (g < 0) continue;
    const p = pred[i]!;
    n++;
    if (p === g) ok++;
    if (p === positive && g === positive) tp++;
    else if (p === positive) fp++;
    else if (g === positive) fn++;
  }
  return { accuracy: n ? ok / n : 0, f1: tp ? (2 * tp) / (2 * tp + fp + fn) : 0, n };
}
