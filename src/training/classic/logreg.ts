/**
 * Binary logistic regression on dense or sparse CSR features, L2-regularized, fitted with L-BFGS.
 * Objective, as scikit-learn's `LogisticRegression(C=...)` (lbfgs solver), up to the 1/n scale:
 * `(1/n) [Σ log(1 + exp(-yᵢ (xᵢ·w + b))) + ||w||² / (2C)]`, intercept unpenalized.
 *
 * Labels: exactly two distinct values (0/1, -1/+1, ...); the larger is the positive class.
 *
 * @example
 * const m = await logisticRegression.fit(await readLibsvm('a9a'), { C: 1 });
 * m.predict(test); // P(positive) per row
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import {
  accuracy,
  cost,
  logLoss,
  minCostThreshold,
  precisionRecallF1,
  rocAuc,
} from '../metrics.js';
import { checkAborted, expectKind } from './check.js';
import { parseConfig } from './config.js';
import {
  binaryClasses,
  checkPredictFeatures,
  cleanTrainingFeatures,
  linearScores,
} from './features.js';
import { lbfgs } from './lbfgs.js';
import { DenseMatrix } from './dense.js';
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
  FeatureMatrix,
} from './types.js';

const Costs = z.strictObject({
  falsePositive: z.number().min(0),
  falseNegative: z.number().min(0),
});

/** The config of {@link logisticRegression}; every field has a default. */
export const LogregConfigSchema = z.strictObject({
  /** Inverse L2 strength (scikit-learn's C); larger = weaker regularization. */
  C: z.number().positive().default(1),
  /** Fit an (unpenalized) intercept. */
  fitIntercept: z.boolean().default(true),
  /** Maximum L-BFGS iterations. */
  epochs: z.number().int().min(1).max(100_000).default(500),
  /** Stop when the largest gradient entry of the mean objective is below this. */
  tol: z.number().positive().default(1e-6),
  /** Probability at or above which a row is labelled positive. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Optional error costs: `evaluate` then reports `cost` at `threshold` and the cost-minimizing threshold. */
  costs: Costs.optional(),
  /** NaN/infinite features or labels: fail (`error`) or drop those rows (`drop`). */
  nan: z.enum(['error', 'drop']).default('error'),
  /** Unused (L-BFGS is deterministic); accepted for uniform configs. */
  seed: z.number().int().default(0),
});

/** A validated {@link LogregConfigSchema} config. */
export type LogregConfig = z.infer<typeof LogregConfigSchema>;

const sigmoid = (s: number): number =>
  s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));

/** log(1 + exp(-m)) without overflow. */
const softplusNeg = (m: number): number =>
  m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));

/** A trained logistic-regression model. */
export class LogregModel implements ClassicModel {
  readonly kind = 'logreg';

  constructor(
    readonly config: LogregConfig,
    readonly coef: Float64Array,
    readonly intercept: number,
    /** [negative label, positive label]. */
    readonly classes: readonly [number, number],
  ) {}

  /** P(positive class) per row. */
  predict(data: ClassicDataset): Float64Array {
    const x = checkPredictFeatures('logreg', data, this.coef.length);
    const s = linearScores(x, this.coef, this.intercept);
    for (let i = 0; i < s.length; i++) s[i] = sigmoid(s[i]!);
    return s;
  }

  /** Class labels per row (`threshold` defaults to the config's). */
  predictLabels(data: ClassicDataset, threshold = this.config.threshold): Float64Array {
    const [neg, pos] = this.classes;
    return this.predict(data).map((p) => (p >= threshold ? pos : neg));
  }

  /** `accuracy`, `auc`, `logloss`, `precision`, `recall`, `f1` (+ `cost`, `minCost`, `minCostThreshold` with costs). */
  evaluate(data: ClassicDataset): Record<string, number> {
    expectKind('logreg', data, 'features');
    if (!data.y) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        'logreg evaluate: the dataset has no labels (y); name the label column',
      );
    }
    const y = data.y;
    const [neg, pos] = this.classes;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== neg && y[i] !== pos) {
        throw new MortarError(
          'DATA_INVALID',
          `logreg evaluate: label ${y[i]} at row ${i} is neither ${neg} nor ${pos} (the training classes)`,
          {
            details: { row: i, label: y[i], classes: [neg, pos] },
          },
        );
      }
    }
    const p = this.predict(data);
    const labels = p.map((v) => (v >= this.config.threshold ? pos : neg));
    const prf = precisionRecallF1(y, labels, { positive: pos });
    const out: Record<string, number> = {
      accuracy: accuracy(y, labels),
      logloss: logLoss(y, p, { positive: pos }),
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
    };
    let both = false;
    for (let i = 1; i < y.length && !both; i++) both = y[i] !== y[0];
    if (both) out.auc = rocAuc(y, p, { positive: pos });
    if (this.config.costs) {
      out.cost = cost(y, labels, this.config.costs, { positive: pos }).cost;
      const best = minCostThreshold(y, p, this.config.costs, { positive: pos });
      out.minCost = best.cost;
      out.minCostThreshold = best.threshold;
    }
    return out;
  }

  toJSON(): ClassicModelJson {
    return modelJson('logreg', this.config, {
      coef: encodeArray(this.coef),
      intercept: this.intercept,
      classes: [...this.classes],
    });
  }
}

/** The mean L2-regularized log-loss and its gradient over (w, b) packed as [w..., b]. */
function objective(
  x: FeatureMatrix,
  t: Float64Array,
  C: number,
  fitIntercept: boolean,
): (wb: Float64Array, g: Float64Array) => number {
  const n = x.rows;
  const p = x.cols;
  const s = new Float64Array(n);
  return (wb, g) => {
    const w = wb.subarray(0, p);
    const b = fitIntercept ? wb[p]! : 0;
    g.fill(0);
    let loss = 0;
    if (x instanceof DenseMatrix) {
      const { data } = x;
      for (let r = 0; r < n; r++) {
        let z = b;
        for (let c = 0, o = r * p; c < p; c++) z += data[o + c]! * w[c]!;
        s[r] = z;
      }
    } else {
      const { indptr, indices, values } = x;
      for (let r = 0; r < n; r++) {
        let z = b;
        for (let k = indptr[r]!, e = indptr[r + 1]!; k < e; k++) z += values[k]! * w[indices[k]!]!;
        s[r] = z;
      }
    }
    let gb = 0;
    for (let r = 0; r < n; r++) {
      const z = s[r]!;
      const yr = t[r]!; // 0/1
      loss += softplusNeg(yr === 1 ? z : -z);
      s[r] = sigmoid(z) - yr; // residual
      gb += s[r]!;
    }
    if (x instanceof DenseMatrix) {
      const { data } = x;
      for (let r = 0; r < n; r++) {
        const e = s[r]!;
        for (let c = 0, o = r * p; c < p; c++) g[c]! += e * data[o + c]!;
      }
    } else {
      const { indptr, indices, values } = x;
      for (let r = 0; r < n; r++) {
        const e = s[r]!;
        for (let k = indptr[r]!, end = indptr[r + 1]!; k < end; k++)
          g[indices[k]!]! += e * values[k]!;
      }
    }
    let reg = 0;
    for (let c = 0; c < p; c++) {
      reg += w[c]! * w[c]!;
      g[c] = (g[c]! + w[c]! / C) / n;
    }
    if (fitIntercept) g[p] = gb / n;
    return (loss + reg / (2 * C)) / n;
  };
}

/** Logistic regression: the `logreg` kind of {@link CLASSIC_MODELS}. */
export const logisticRegression: ClassicModelKind = {
  kind: 'logreg',
  description: 'binary logistic regression (L2, L-BFGS) on dense or sparse features',
  input: 'features',
  primaryMetric: 'accuracy',
  minimize: false,

  parseConfig(config?: unknown): JsonObject {
    return parseConfig('logreg', LogregConfigSchema, config);
  },

  async fit(
    data: ClassicDataset,
    config?: unknown,
    options: ClassicFitOptions = {},
  ): Promise<LogregModel> {
    const cfg = parseConfig('logreg', LogregConfigSchema, config);
    const { x, y } = cleanTrainingFeatures('logreg', data, cfg.nan);
    const classes = binaryClasses(y);
    if (!classes) {
      const seen = [...new Set(Array.from(y.slice(0, 10_000)))].slice(0, 5);
      throw new MortarError(
        'DATA_INVALID',
        `logreg: labels must take exactly two values, saw ${seen.join(', ')}${seen.length >= 5 ? ', ...' : ''} (use softmax regression for more classes)`,
        { details: { labels: seen } },
      );
    }
    const t = y.map((v) => (v === classes[1] ? 1 : 0));
    const p = x.cols;
    const fn = objective(x, t, cfg.C, cfg.fitIntercept);
    const nParams = p + (cfg.fitIntercept ? 1 : 0);
    const at = (wb: Float64Array): LogregModel =>
      new LogregModel(
        cfg,
        Float64Array.from(wb.subarray(0, p)),
        cfg.fitIntercept ? wb[p]! : 0,
        classes,
      );
    const res = lbfgs(fn, new Float64Array(nParams), {
      maxIter: cfg.epochs,
      gtol: cfg.tol,
      onIter: (iter, f, gmax, wb) => {
        checkAborted(options.signal, 'logreg');
        const metrics: Record<string, number> = { train_objective: f, grad_max: gmax };
        if (options.validation) {
          for (const [k, v] of Object.entries(at(wb).evaluate(options.validation)))
            metrics[`val_${k}`] = v;
        }
        return options.onEpoch?.({ epoch: iter, metrics }) !== false;
      },
    });
    // L-BFGS runs synchronously; yield once so progress output and signals are seen.
    await new Promise<void>((resolve) => setImmediate(resolve));
    checkAborted(options.signal, 'logreg');
    return at(res.x);
  },

  fromJSON(json: unknown): LogregModel {
    const { config, state } = openModelJson(json, 'logreg');
    const cfg = parseConfig('logreg', LogregConfigSchema, config);
    const cls = state.classes;
    if (!Array.isArray(cls) || cls.length !== 2 || !cls.every((v) => typeof v === 'number'))
      throw corrupt('state.classes');
    return new LogregModel(
      cfg,
      decodeF64(state.coef, 'state.coef'),
      stateNumber(state, 'intercept'),
      [cls[0] as number, cls[1] as number],
    );
  },
};
