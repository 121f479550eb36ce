/**
 * Latent Dirichlet allocation by collapsed Gibbs sampling (Griffiths & Steyvers 2004), symmetric
 * Dirichlet priors α (document-topic) and β (topic-word). Held-out perplexity by document
 * completion: each held-out document's tokens are split in two with a seeded shuffle; topic
 * proportions are inferred from the first half by Gibbs sampling with the topics fixed, and the
 * second half is scored — `exp(-Σ log p(w) / N)`.
 *
 * @example
 * const corpus = await readLdac('ap.dat', 'vocab.txt');
 * const m = await lda.fit(corpus, { topics: 20, epochs: 200, seed: 1 });
 * m.topWords(10); m.perplexity(heldOut);
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import { afterEpoch, checkAborted, expectKind } from './check.js';
import { parseConfig } from './config.js';
import { corrupt, decodeI32, encodeArray, modelJson, openModelJson } from './serialize.js';
import type { CsrMatrix } from './sparse.js';
import type {
  ClassicDataset,
  ClassicFitOptions,
  ClassicModel,
  ClassicModelJson,
  ClassicModelKind,
  CorpusDataset,
} from './types.js';

/** The config of {@link lda}; every field has a default. */
export const LdaConfigSchema = z.strictObject({
  /** Number of topics K. */
  topics: z.number().int().min(1).max(10_000).default(20),
  /** Symmetric document-topic prior α. */
  alpha: z.number().positive().default(0.1),
  /** Symmetric topic-word prior β. */
  beta: z.number().positive().default(0.01),
  /** Gibbs sweeps over the training tokens. */
  epochs: z.number().int().min(1).max(1_000_000).default(200),
  /** Compute the training perplexity every this many sweeps (and after the last). */
  evalEvery: z.number().int().min(1).default(10),
  /** Gibbs sweeps of the fold-in for held-out documents (perplexity, predict). */
  foldInIterations: z.number().int().min(2).default(50),
  seed: z.number().int().default(0),
});

/** A validated {@link LdaConfigSchema} config. */
export type LdaConfig = z.infer<typeof LdaConfigSchema>;

/** Topic-word sampling weights φ (K x V row-major) from the counts. */
function topicWord(
  nwk: Int32Array,
  nk: Int32Array,
  K: number,
  V: number,
  beta: number,
): Float64Array {
  const phi = new Float64Array(K * V);
  for (let k = 0; k < K; k++) {
    const inv = 1 / (nk[k]! + V * beta);
    for (let w = 0; w < V; w++) phi[k * V + w] = (nwk[w * K + k]! + beta) * inv;
  }
  return phi;
}

/** Expands a count matrix into token arrays (doc-major order). */
function tokens(docs: CsrMatrix): { word: Int32Array; docStart: Int32Array } {
  const D = docs.rows;
  const docStart = new Int32Array(D + 1);
  let total = 0;
  for (let d = 0; d < D; d++) {
    for (let k = docs.indptr[d]!; k < docs.indptr[d + 1]!; k++) total += docs.values[k]!;
    docStart[d + 1] = total;
  }
  const word = new Int32Array(total);
  let t = 0;
  for (let d = 0; d < D; d++) {
    for (let k = docs.indptr[d]!; k < docs.indptr[d + 1]!; k++) {
      for (let c = 0; c < docs.values[k]!; c++) word[t++] = docs.indices[k]!;
    }
  }
  return { word, docStart };
}

function checkCorpus(model: string, data: ClassicDataset): asserts data is CorpusDataset {
  expectKind(model, data, 'corpus');
  const { values } = data.docs;
  for (let k = 0; k < data.docs.nnz; k++) {
    const v = values[k]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new MortarError(
        'DATA_INVALID',
        `${model}: word counts must be non-negative integers, found ${v} at entry ${k}`,
        {
          details: { entry: k, value: v },
        },
      );
    }
  }
}

/** A word and its probability in a topic. */
export interface TopicWord {
  readonly word: string;
  readonly id: number;
  readonly probability: number;
}

/** A trained LDA model: the topic-word counts and priors. */
export class LdaModel implements ClassicModel {
  readonly kind = 'lda';
  /** φ: K x V topic-word probabilities. */
  readonly phi: Float64Array;

  constructor(
    readonly config: LdaConfig,
    readonly vocabSize: number,
    /** V x K word-topic counts (word-major). */
    readonly wordTopic: Int32Array,
    readonly topicTotals: Int32Array,
    readonly vocab: readonly string[] | null,
  ) {
    this.phi = topicWord(wordTopic, topicTotals, config.topics, vocabSize, config.beta);
  }

  /** The `n` most probable words of every topic. */
  topWords(n = 10): TopicWord[][] {
    const K = this.config.topics;
    const V = this.vocabSize;
    const out: TopicWord[][] = [];
    for (let k = 0; k < K; k++) {
      const row = this.phi.subarray(k * V, (k + 1) * V);
      const ids = Array.from({ length: V }, (_, w) => w)
        .sort((a, b) => row[b]! - row[a]! || a - b)
        .slice(0, n);
      out.push(
        ids.map((w) => ({ word: this.vocab?.[w] ?? String(w), id: w, probability: row[w]! })),
      );
    }
    return out;
  }

  private checkWidth(docs: CsrMatrix): void {
    if (docs.cols > this.vocabSize) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `lda: the corpus has ${docs.cols} word columns but the model's vocabulary has ${this.vocabSize}; map the documents with the training vocabulary`,
        { details: { columns: docs.cols, vocabSize: this.vocabSize } },
      );
    }
  }

  /**
   * Infers topic proportions θ of documents by Gibbs sampling with φ fixed, averaging the
   * samples of the second half of `iterations` sweeps. Returns D x K row-major.
   */
  private foldIn(
    word: Int32Array,
    docStart: Int32Array,
    rng: Rng,
    iterations: number,
  ): Float64Array {
    const K = this.config.topics;
    const V = this.vocabSize;
    const alpha = this.config.alpha;
    const D = docStart.length - 1;
    const phi = this.phi;
    const theta = new Float64Array(D * K);
    const z = new Int32Array(word.length);
    const ndk = new Float64Array(K);
    const cum = new Float64Array(K);
    const burn = Math.floor(iterations / 2);
    for (let d = 0; d < D; d++) {
      const s = docStart[d]!;
      const e = docStart[d + 1]!;
      ndk.fill(0);
      for (let t = s; t < e; t++) {
        const k = Math.floor(rng.float() * K);
        z[t] = k;
        ndk[k]!++;
      }
      let samples = 0;
      for (let it = 0; it < iterations; it++) {
        for (let t = s; t < e; t++) {
          const w = word[t]!;
          const old = z[t]!;
          ndk[old]!--;
          let sum = 0;
          for (let k = 0; k < K; k++) {
            sum += (ndk[k]! + alpha) * phi[k * V + w]!;
            cum[k] = sum;
          }
          const u = rng.float() * sum;
          let k = 0;
          while (k < K - 1 && cum[k]! <= u) k++;
          z[t] = k;
          ndk[k]!++;
        }
        if (it >= burn) {
          samples++;
          const n = e - s;
          for (let k = 0; k < K; k++) theta[d * K + k]! += (ndk[k]! + alpha) / (n + K * alpha);
        }
      }
      if (samples === 0 || e === s) {
        for (let k = 0; k < K; k++) theta[d * K + k] = 1 / K;
      } else {
        for (let k = 0; k < K; k++) theta[d * K + k]! /= samples;
      }
    }
    return theta;
  }

  /** Document-topic proportions θ, D x K row-major (each row sums to 1). Seeded by `config.seed`. */
  predict(data: ClassicDataset): Float64Array {
    checkCorpus('lda', data);
    this.checkWidth(data.docs);
    const { word, docStart } = tokens(data.docs);
    return this.foldIn(
      word,
      docStart,
      new Rng(this.config.seed).stream(1),
      this.config.foldInIterations,
    );
  }

  /**
   * Held-out perplexity by document completion (see the module comment). Documents with fewer
   * than two tokens are skipped. Deterministic for a given `seed` (default: the config's).
   */
  perplexity(
    data: ClassicDataset,
    options: { seed?: number; iterations?: number } = {},
  ): { perplexity: number; tokens: number } {
    checkCorpus('lda', data);
    this.checkWidth(data.docs);
    const rng = new Rng(options.seed ?? this.config.seed).stream(2);
    const { word, docStart } = tokens(data.docs);
    const D = docStart.length - 1;
    // Split each document's tokens (shuffled) into an observed half and a held-out half.
    const obsWord: number[] = [];
    const obsStart = [0];
    const heldWord: number[] = [];
    const heldStart = [0];
    for (let d = 0; d < D; d++) {
      const s = docStart[d]!;
      const e = docStart[d + 1]!;
      if (e - s >= 2) {
        const ws = Array.from(word.subarray(s, e));
        rng.shuffle(ws);
        const half = Math.ceil(ws.length / 2);
        obsWord.push(...ws.slice(0, half));
        heldWord.push(...ws.slice(half));
      }
      obsStart.push(obsWord.length);
      heldStart.push(heldWord.length);
    }
    const theta = this.foldIn(
      Int32Array.from(obsWord),
      Int32Array.from(obsStart),
      rng,
      options.iterations ?? this.config.foldInIterations,
    );
    const K = this.config.topics;
    const V = this.vocabSize;
    let ll = 0;
    for (let d = 0; d < D; d++) {
      for (let t = heldStart[d]!; t < heldStart[d + 1]!; t++) {
        const w = heldWord[t]!;
        let p = 0;
        for (let k = 0; k < K; k++) p += theta[d * K + k]! * this.phi[k * V + w]!;
        ll += Math.log(p);
      }
    }
    const n = heldWord.length;
    if (n === 0)
      throw new MortarError(
        'INVALID_ARGUMENT',
        'lda perplexity: no document has two or more tokens',
      );
    return { perplexity: Math.exp(-ll / n), tokens: n };
  }

  /** `perplexity` (held-out, document completion) and the number of scored `tokens`. */
  evaluate(data: ClassicDataset): Record<string, number> {
    return { ...this.perplexity(data) };
  }

  toJSON(): ClassicModelJson {
    return modelJson('lda', this.config, {
      vocabSize: this.vocabSize,
      wordTopic: encodeArray(this.wordTopic),
      topicTotals: encodeArray(this.topicTotals),
      vocab: this.vocab ? [...this.vocab] : null,
    });
  }
}

/** Training perplexity of the current counts: exp(-Σ_tokens log Σ_k θ̂_dk φ̂_kw / N). */
function trainingPerplexity(
  docs: CsrMatrix,
  ndk: Int32Array,
  docLen: Int32Array,
  phi: Float64Array,
  K: number,
  V: number,
  alpha: number,
): number {
  let ll = 0;
  let n = 0;
  for (let d = 0; d < docs.rows; d++) {
    const inv = 1 / (docLen[d]! + K * alpha);
    for (let j = docs.indptr[d]!; j < docs.indptr[d + 1]!; j++) {
      const w = docs.indices[j]!;
      const c = docs.values[j]!;
      let p = 0;
      for (let k = 0; k < K; k++) p += (ndk[d * K + k]! + alpha) * inv * phi[k * V + w]!;
      ll += c * Math.log(p);
      n += c;
    }
  }
  return Math.exp(-ll / n);
}

/** LDA: the `lda` kind of {@link CLASSIC_MODELS}. */
export const lda: ClassicModelKind = {
  kind: 'lda',
  description: 'latent Dirichlet allocation by collapsed Gibbs sampling (bag-of-words corpus)',
  input: 'corpus',
  primaryMetric: 'perplexity',
  minimize: true,

  parseConfig(config?: unknown): JsonObject {
    return parseConfig('lda', LdaConfigSchema, config);
  },

  async fit(
    data: ClassicDataset,
    config?: unknown,
    options: ClassicFitOptions = {},
  ): Promise<LdaModel> {
    const cfg = parseConfig('lda', LdaConfigSchema, config);
    checkCorpus('lda', data);
    const docs = data.docs;
    const vocab = data.vocab ?? null;
    if (vocab && vocab.length !== docs.cols) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `lda: the vocabulary has ${vocab.length} words but the corpus has ${docs.cols} word columns`,
      );
    }
    const K = cfg.topics;
    const V = docs.cols;
    const D = docs.rows;
    const { alpha, beta } = cfg;
    const rng = options.rng ?? new Rng(cfg.seed);
    const { word, docStart } = tokens(docs);
    const N = word.length;
    if (N === 0) throw new MortarError('INVALID_ARGUMENT', 'lda fit: the corpus has no tokens');
    const z = new Int32Array(N);
    const nwk = new Int32Array(V * K);
    const nk = new Int32Array(K);
    const ndk = new Int32Array(D * K);
    const docLen = new Int32Array(D);
    for (let d = 0; d < D; d++) {
      docLen[d] = docStart[d + 1]! - docStart[d]!;
      for (let t = docStart[d]!; t < docStart[d + 1]!; t++) {
        const k = Math.floor(rng.float() * K);
        z[t] = k;
        nwk[word[t]! * K + k]!++;
        nk[k]!++;
        ndk[d * K + k]!++;
      }
    }
    const vBeta = V * beta;
    const inv = new Float64Array(K);
    for (let k = 0; k < K; k++) inv[k] = 1 / (nk[k]! + vBeta);
    const cum = new Float64Array(K);
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      checkAborted(options.signal, 'lda');
      for (let d = 0; d < D; d++) {
        const dOff = d * K;
        for (let t = docStart[d]!, e = docStart[d + 1]!; t < e; t++) {
          const w = word[t]!;
          const wOff = w * K;
          let k = z[t]!;
          nwk[wOff + k]!--;
          ndk[dOff + k]!--;
          inv[k] = 1 / (--nk[k]! + vBeta);
          let sum = 0;
          for (let j = 0; j < K; j++) {
            sum += (ndk[dOff + j]! + alpha) * (nwk[wOff + j]! + beta) * inv[j]!;
            cum[j] = sum;
          }
          const u = rng.float() * sum;
          k = 0;
          while (k < K - 1 && cum[k]! <= u) k++;
          z[t] = k;
          nwk[wOff + k]!++;
          ndk[dOff + k]!++;
          inv[k] = 1 / (++nk[k]! + vBeta);
        }
      }
      const metrics: Record<string, number> = {};
      if (epoch % cfg.evalEvery === 0 || epoch === cfg.epochs || epoch === 1) {
        metrics.train_perplexity = trainingPerplexity(
          docs,
          ndk,
          docLen,
          topicWord(nwk, nk, K, V, beta),
          K,
          V,
          alpha,
        );
        if (options.validation) {
          const m = new LdaModel(cfg, V, nwk.slice(), nk.slice(), vocab);
          metrics.val_perplexity = m.perplexity(options.validation).perplexity;
        }
      }
      if (!(await afterEpoch('lda', epoch, metrics, options))) break;
    }
    return new LdaModel(cfg, V, nwk, nk, vocab);
  },

  fromJSON(json: unknown): LdaModel {
    const { config, state } = openModelJson(json, 'lda');
    const cfg = parseConfig('lda', LdaConfigSchema, config);
    const V = state.vocabSize;
    if (typeof V !== 'number' || !Number.isInteger(V) || V < 1) throw corrupt('state.vocabSize');
    const vocab = state.vocab;
    if (
      vocab !== null &&
      (!Array.isArray(vocab) || vocab.length !== V || !vocab.every((w) => typeof w === 'string'))
    ) {
      throw corrupt('state.vocab');
    }
    const wordTopic = decodeI32(state.wordTopic, 'state.wordTopic', V * cfg.topics);
    const topicTotals = decodeI32(state.topicTotals, 'state.topicTotals', cfg.topics);
    return new LdaModel(cfg, V, wordTopic, topicTotals, vocab as string[] | null);
  },
};
