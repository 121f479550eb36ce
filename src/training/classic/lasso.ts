/**
 * Lasso (L1-regularized least squares) by coordinate descent on dense or sparse CSR features,
 * with an optional regularization path (warm-started from the largest useful α down to `alpha`).
 * Objective, as scikit-learn's `Lasso`: `(1/(2n)) ||y - X w - b||² + α ||w||₁`.
 *
 * @example
 * const m = await lasso.fit({ kind: 'features', x, y }, { alpha: 0.01, pathLength: 20 });
 * m.coef; m.path?.alphas; m.predict({ kind: 'features', x: xTest });
 */
import { z } from 'zod';
import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { mae, rmse } from '../metrics.js';
import { afterEpoch, checkAborted, expectKind } from './check.js';
import { parseConfig } from './config.js';
import {
  binaryClasses,
  checkPredictFeatures,
  cleanTrainingFeatures,
  linearScores,
} from './features.js';
import { alphaMax, cdInit, cdSolve, toColumns } from './lasso-cd.js';
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
} from './types.js';

/** The config of {@link lasso}; every field has a default. */
export const LassoConfigSchema = z.strictObject({
  /** L1 weight α (the final one of a path). */
  alpha: z.number().min(0).default(0.001),
  /** Number of α values on the path, geometric from α_max down to `alpha`; 1 = no path. */
  pathLength: z.number().int().min(1).max(1000).default(1),
  /** Maximum coordinate-descent sweeps per α. */
  epochs: z.number().int().min(1).max(1_000_000).default(1000),
  /** Convergence tolerance (scikit-learn's `tol`). */
  tol: z.number().positive().default(1e-4),
  /** NaN/infinite features or labels: fail (`error`) or drop those rows (`drop`). */
  nan: z.enum(['error', 'drop']).default('error'),
  /** Unused (coordinate descent here is cyclic and deterministic); accepted for uniform configs. */
  seed: z.number().int().default(0),
});

/** A validated {@link LassoConfigSchema} config. */
export type LassoConfig = z.infer<typeof LassoConfigSchema>;

/** The coefficients at every α of a regularization path. */
export interface LassoPath {
  readonly alphas: Float64Array;
  /** pathLength x p coefficients, row-major. */
  readonly coefs: Float64Array;
  readonly intercepts: Float64Array;
}

/** A trained Lasso model. */
export class LassoModel implements ClassicModel {
  readonly kind = 'lasso';

  constructor(
    readonly config: LassoConfig,
    /** Coefficients (one per feature column). */
    readonly coef: Float64Array,
    readonly intercept: number,
    /** The two label values when the training labels were binary (for `accuracy`), else null. */
    readonly classes: readonly [number, number] | null,
    readonly path: LassoPath | null,
  ) {}

  /** Number of non-zero coefficients. */
  get nnz(): number {
    let c = 0;
    for (const v of this.coef) if (v !== 0) c++;
    return c;
  }

  /** x w + b per row. */
  predict(data: ClassicDataset): Float64Array {
    const x = checkPredictFeatures('lasso', data, this.coef.length);
    return linearScores(x, this.coef, this.intercept);
  }

  /** `rmse`, `mae`, `r2`; plus `accuracy` (threshold at the midpoint) when trained on two label values. */
  evaluate(data: ClassicDataset): Record<string, number> {
    expectKind('lasso', data, 'features');
    if (!data.y) throw corruptLabels();
    const pred = this.predict(data);
    const y = data.y;
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i]!;
    mean /= y.length;
    let ssTot = 0;
    let ssRes = 0;
    for (let i = 0; i < y.length; i++) {
      ssTot += (y[i]! - mean) ** 2;
      ssRes += (y[i]! - pred[i]!) ** 2;
    }
    const out: Record<string, number> = {
      rmse: rmse(y, pred),
      mae: mae(y, pred),
      r2: ssTot === 0 ? 0 : 1 - ssRes / ssTot,
    };
    if (this.classes) {
      const [lo, hi] = this.classes;
      const mid = (lo + hi) / 2;
      let hit = 0;
      for (let i = 0; i < y.length; i++) if ((pred[i]! >= mid ? hi : lo) === y[i]) hit++;
      out.accuracy = hit / y.length;
    }
    return out;
  }

  /** The model at the k-th α of the path (k = pathLength - 1 is this model). */
  atPathIndex(k: number): LassoModel {
    const path = this.path;
    if (!path || k < 0 || k >= path.alphas.length || !Number.isInteger(k)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `lasso: no path entry ${k} (pathLength ${path?.alphas.length ?? 1})`,
      );
    }
    const p = this.coef.length;
    return new LassoModel(
      { ...this.config, alpha: path.alphas[k]!, pathLength: 1 },
      path.coefs.slice(k * p, (k + 1) * p),
      path.intercepts[k]!,
      this.classes,
      null,
    );
  }

  toJSON(): ClassicModelJson {
    const state: Record<string, JsonObject | number | number[] | null> = {
      coef: encodeArray(this.coef),
      intercept: this.intercept,
      classes: this.classes ? [...this.classes] : null,
      path: this.path
        ? {
            alphas: encodeArray(this.path.alphas),
            coefs: encodeArray(this.path.coefs),
            intercepts: encodeArray(this.path.intercepts),
          }
        : null,
    };
    return modelJson('lasso', this.config, state);
  }
}

function corruptLabels(): MortarError {
  return new MortarError(
    'INVALID_ARGUMENT',
    'lasso evaluate: the dataset has no labels (y); name the label column',
  );
}

/** Lasso: the `lasso` kind of {@link CLASSIC_MODELS}. */
export const lasso: ClassicModelKind = {
  kind: 'lasso',
  description: 'Lasso (L1 least squares) by coordinate descent, dense or sparse, optional α path',
  input: 'features',
  primaryMetric: 'rmse',
  minimize: true,

  parseConfig(config?: unknown): JsonObject {
    return parseConfig('lasso', LassoConfigSchema, config);
  },

  async fit(
    data: ClassicDataset,
    config?: unknown,
    options: ClassicFitOptions = {},
  ): Promise<LassoModel> {
    const cfg = parseConfig('lasso', LassoConfigSchema, config);
    const { x, y } = cleanTrainingFeatures('lasso', data, cfg.nan);
    const cols = toColumns(x);
    let yMean = 0;
    for (let i = 0; i < y.length; i++) yMean += y[i]!;
    yMean /= y.length;
    const yc = y.map((v) => v - yMean);
    const aMax = alphaMax(cols, yc);
    const L = cfg.pathLength;
    const alphas = new Float64Array(L);
    if (L === 1) alphas[0] = cfg.alpha;
    else {
      const lo = Math.max(cfg.alpha, aMax * 1e-12);
      const hi = Math.max(aMax, lo);
      for (let k = 0; k < L; k++) alphas[k] = hi * Math.pow(lo / hi, k / (L - 1));
    }
    const st = cdInit(cols, yc);
    const p = cols.p;
    const coefs = new Float64Array(L * p);
    const intercepts = new Float64Array(L);
    const intercept = (): number => {
      let b = yMean;
      for (let j = 0; j < p; j++) b -= cols.mean[j]! * st.w[j]!;
      return b;
    };
    const model = (): LassoModel =>
      new LassoModel(
        cfg,
        Float64Array.from(st.w),
        intercept(),
        binaryClasses(y),
        L > 1 ? { alphas, coefs, intercepts } : null,
      );
    for (let k = 0; k < L; k++) {
      checkAborted(options.signal, 'lasso');
      const res = cdSolve(cols, yc, st, alphas[k]!, cfg.epochs, cfg.tol);
      coefs.set(st.w, k * p);
      intercepts[k] = intercept();
      let nnz = 0;
      for (const v of st.w) if (v !== 0) nnz++;
      const metrics: Record<string, number> = {
        alpha: alphas[k]!,
        nnz,
        sweeps: res.iterations,
        gap: res.gap,
      };
      if (options.validation) {
        for (const [key, v] of Object.entries(model().evaluate(options.validation)))
          metrics[`val_${key}`] = v;
      }
      if (!(await afterEpoch('lasso', k + 1, metrics, options))) break;
    }
    return model();
  },

  fromJSON(json: unknown): LassoModel {
    const { config, state } = openModelJson(json, 'lasso');
    const cfg = parseConfig('lasso', LassoConfigSchema, config);
    const coef = decodeF64(state.coef, 'state.coef');
    const cls = state.classes;
    let classes: [number, number] | null = null;
    if (cls !== null) {
      if (!Array.isArray(cls) || cls.length !== 2 || !cls.every((v) => typeof v === 'number'))
        throw corrupt('state.classes');
      classes = [cls[0] as number, cls[1] as number];
    }
    let path: LassoPath | null = null;
    const ps = state.path as JsonObject | null | undefined;
    if (ps) {
      const alphas = decodeF64(ps.alphas, 'state.path.alphas');
      path = {
        alphas,
        coefs: decodeF64(ps.coefs, 'state.path.coefs', alphas.length * coef.length),
        intercepts: decodeF64(ps.intercepts, 'state.path.intercepts', alphas.length),
      };
    }
    return new LassoModel(cfg, coef, stateNumber(state, 'intercept'), classes, path);
  },
};
