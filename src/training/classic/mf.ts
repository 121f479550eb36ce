/**
 * Matrix factorization by stochastic gradient descent with biases (Funk SVD / Koren's biased MF):
 * `r̂(u, i) = μ + b_u + b_i + p_u · q_i`, trained on squared error with L2 regularization, one
 * rating at a time in a seeded shuffled order, with a per-epoch learning-rate decay.
 *
 * @example
 * const model = await matrixFactorization.fit(
 *   { kind: 'ratings', users, items, ratings },
 *   { rank: 50, epochs: 20, seed: 1 },
 * );
 * model.predict({ kind: 'ratings', users: [1], items: [7] });
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import { mae, rmse } from '../metrics.js';
import { afterEpoch, checkAborted, expectKind, expectLength } from './check.js';
import { parseConfig } from './config.js';
import { IdMap } from './idmap.js';
import { MfHogwild, sharedF64, sharedI32 } from './mf-hogwild.js';
import { mfSgdEpoch, type MfState } from './mf-kernel.js';
import { applyNanPolicy, badIdRows } from './nan.js';
import {
  corrupt,
  decodeF64,
  encodeArray,
  modelJson,
  openModelJson,
  stateNumber,
} from './serialize.js';
import type {
  ClassicDataset,
  ClassicFitOptions,
  ClassicModel,
  ClassicModelJson,
  ClassicModelKind,
  RatingsDataset,
} from './types.js';

/** The config of {@link matrixFactorization}; every field has a default. */
export const MfConfigSchema = z.strictObject({
  /** Latent factors per user and item. */
  rank: z.number().int().min(1).max(4096).default(50),
  /** Passes over the training ratings. */
  epochs: z.number().int().min(1).max(100_000).default(30),
  /** SGD step size of the first epoch. */
  learningRate: z.number().positive().default(0.015),
  /** Learning rate multiplier applied after every epoch. */
  decay: z.number().positive().max(1).default(0.96),
  /** L2 weight on the factors. */
  regularization: z.number().min(0).default(0.08),
  /** L2 weight on the biases. */
  biasRegularization: z.number().min(0).default(0.01),
  /** Standard deviation of the normal initial factors. */
  initStd: z.number().min(0).default(0.05),
  /** Clip predictions to the training ratings' [min, max]. */
  clip: z.boolean().default(true),
  /** NaN/infinite ratings or ids: fail (`error`) or drop those rows (`drop`). */
  nan: z.enum(['error', 'drop']).default('error'),
  /**
   * Threads for Hogwild SGD over SharedArrayBuffer (1 = serial, bit-for-bit reproducible for a
   * seed; more threads trade that for speed: updates race without locks).
   */
  threads: z.number().int().min(1).max(64).default(1),
  seed: z.number().int().default(0),
});

/** A validated {@link MfConfigSchema} config. */
export type MfConfig = z.infer<typeof MfConfigSchema>;

/** A trained matrix-factorization model. */
export class MfModel implements ClassicModel {
  readonly kind = 'mf';

  constructor(
    readonly config: MfConfig,
    readonly state: MfState,
  ) {}

  /** Predicted ratings; an unknown user or item falls back to the biases it has (or the mean). */
  predict(data: ClassicDataset): Float64Array {
    expectKind('mf', data, 'ratings');
    expectLength('items', data.items.length, data.users.length, 'users');
    const { rank, clip } = this.config;
    const { p, q, userBias, itemBias, mean, min, max, userIds, itemIds } = this.state;
    const n = data.users.length;
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const uu = userIds.get(data.users[k]!);
      const ii = itemIds.get(data.items[k]!);
      let v = mean;
      if (uu >= 0) v += userBias[uu]!;
      if (ii >= 0) v += itemBias[ii]!;
      if (uu >= 0 && ii >= 0) {
        const uo = uu * rank;
        const io = ii * rank;
        for (let f = 0; f < rank; f++) v += p[uo + f]! * q[io + f]!;
      }
      out[k] = clip ? Math.min(max, Math.max(min, v)) : v;
    }
    return out;
  }

  /** `rmse` and `mae` against the dataset's ratings. */
  evaluate(data: ClassicDataset): Record<string, number> {
    expectKind('mf', data, 'ratings');
    const y = requireRatings(data, 'evaluate');
    const pred = this.predict(data);
    return { rmse: rmse(y, pred), mae: mae(y, pred) };
  }

  toJSON(): ClassicModelJson {
    const s = this.state;
    return modelJson('mf', this.config, {
      mean: s.mean,
      min: s.min,
      max: s.max,
      userIds: s.userIds.toJSON(),
      itemIds: s.itemIds.toJSON(),
      p: encodeArray(s.p),
      q: encodeArray(s.q),
      userBias: encodeArray(s.userBias),
      itemBias: encodeArray(s.itemBias),
    });
  }
}

function requireRatings(data: RatingsDataset, what: string): ArrayLike<number> {
  if (!data.ratings) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `mf ${what}: the dataset has no ratings (the label column)`,
    );
  }
  expectLength('ratings', data.ratings.length, data.users.length, 'users');
  return data.ratings;
}

/** Matrix factorization: the `mf` kind of {@link CLASSIC_MODELS}. */
export const matrixFactorization: ClassicModelKind = {
  kind: 'mf',
  description: 'matrix factorization with biases by SGD (explicit ratings: user, item, rating)',
  input: 'ratings',
  primaryMetric: 'rmse',
  minimize: true,

  parseConfig(config?: unknown): JsonObject {
    return parseConfig('mf', MfConfigSchema, config);
  },

  async fit(
    data: ClassicDataset,
    config?: unknown,
    options: ClassicFitOptions = {},
  ): Promise<MfModel> {
    const cfg = parseConfig('mf', MfConfigSchema, config);
    expectKind('mf', data, 'ratings');
    expectLength('items', data.items.length, data.users.length, 'users');
    const ratings = requireRatings(data, 'fit');
    const bad = badIdRows(data.users, data.items, ratings);
    applyNanPolicy('mf', bad, cfg.nan, data.users.length);
    const n = data.users.length - bad.length;
    if (n === 0) throw new MortarError('INVALID_ARGUMENT', 'mf fit: no ratings to train on');
    const rng = options.rng ?? new Rng(cfg.seed);
    const userIds = new IdMap();
    const itemIds = new IdMap();
    const u = new Int32Array(n);
    const i = new Int32Array(n);
    const r = new Float64Array(n);
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let k = 0, w = 0, b = 0; k < data.users.length; k++) {
      if (b < bad.length && bad[b] === k) {
        b++;
        continue;
      }
      u[w] = userIds.add(data.users[k]!);
      i[w] = itemIds.add(data.items[k]!);
      const v = ratings[k]!;
      r[w++] = v;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const rank = cfg.rank;
    const init = (len: number): Float64Array => {
      const a = new Float64Array(len);
      for (let k = 0; k < len; k++) a[k] = rng.normal(0, cfg.initStd);
      return a;
    };
    const hogwild = cfg.threads > 1;
    // Hogwild shares the parameters, ratings and order with worker threads.
    const f64 = hogwild ? sharedF64 : (a: Float64Array): Float64Array => a;
    const i32 = hogwild ? sharedI32 : (a: Int32Array): Int32Array => a;
    const state: MfState = {
      mean: sum / n,
      min,
      max,
      userIds,
      itemIds,
      p: f64(init(userIds.size * rank)),
      q: f64(init(itemIds.size * rank)),
      userBias: f64(new Float64Array(userIds.size)),
      itemBias: f64(new Float64Array(itemIds.size)),
    };
    const model = new MfModel(cfg, state);
    const order = i32(new Int32Array(n));
    for (let k = 0; k < n; k++) order[k] = k;
    const data3 = { u: i32(u), i: i32(i), r: f64(r), order };
    const reg = cfg.regularization;
    const regB = cfg.biasRegularization;
    const pool = hogwild ? await MfHogwild.start(cfg.threads, state, rank, data3, reg, regB) : null;
    try {
      let lr = cfg.learningRate;
      for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
        checkAborted(options.signal, 'mf');
        shuffle(order, rng);
        const sse = pool
          ? await pool.epoch(lr)
          : mfSgdEpoch(state, rank, data3.u, data3.i, data3.r, order, lr, reg, regB);
        lr *= cfg.decay;
        const metrics: Record<string, number> = { train_rmse: Math.sqrt(sse / n) };
        if (options.validation) {
          for (const [k, v] of Object.entries(model.evaluate(options.validation)))
            metrics[`val_${k}`] = v;
        }
        if (!(await afterEpoch('mf', epoch, metrics, options))) break;
      }
    } finally {
      await pool?.stop();
    }
    if (!hogwild) return model;
    // Back to ordinary (unshared) arrays for the returned model.
    return new MfModel(cfg, {
      ...state,
      p: state.p.slice(),
      q: state.q.slice(),
      userBias: state.userBias.slice(),
      itemBias: state.itemBias.slice(),
    });
  },

  fromJSON(json: unknown): MfModel {
    const { config, state } = openModelJson(json, 'mf');
    const cfg = parseConfig('mf', MfConfigSchema, config);
    const userIds = IdMap.fromJSON(state.userIds, 'state.userIds');
    const itemIds = IdMap.fromJSON(state.itemIds, 'state.itemIds');
    const s: MfState = {
      mean: stateNumber(state, 'mean'),
      min: stateNumber(state, 'min'),
      max: stateNumber(state, 'max'),
      userIds,
      itemIds,
      p: decodeF64(state.p, 'state.p', userIds.size * cfg.rank),
      q: decodeF64(state.q, 'state.q', itemIds.size * cfg.rank),
      userBias: decodeF64(state.userBias, 'state.userBias', userIds.size),
      itemBias: decodeF64(state.itemBias, 'state.itemBias', itemIds.size),
    };
    if (s.min > s.max) throw corrupt('state.min > state.max');
    return new MfModel(cfg, s);
  },
};

/** Fisher-Yates shuffle of an Int32Array with a seeded generator. */
export function shuffle(a: Int32Array, rng: Rng): void {
  for (let k = a.length - 1; k > 0; k--) {
    const j = Math.floor(rng.float() * (k + 1));
    const t = a[k]!;
    a[k] = a[j]!;
    a[j] = t;
  }
}
