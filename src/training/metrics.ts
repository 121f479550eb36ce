/**
 * Evaluation metrics over plain arrays: classification (accuracy, precision/recall/F1 with
 * binary, macro and micro averaging, confusion matrix, ROC AUC with ties, log-loss), regression
 * (RMSE, MAE) and a cost-sensitive cost with user-given false-positive and false-negative costs,
 * plus the decision threshold that minimizes it — because which error matters is the user's call.
 *
 * Conventions follow scikit-learn (checked against its numbers in metrics.test.ts): labels are
 * numbers; in binary metrics the label equal to `positive` (default 1) is positive and every
 * other label negative; a ratio with a zero denominator is 0.
 */
import { MortarError } from '../core/errors.js';

/** Labels or values indexed by row. */
export type Vector = ArrayLike<number>;

function check(name: string, a: Vector, b: Vector, bName = 'predictions'): void {
  if (a.length !== b.length) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `${name}: labels have ${a.length} entries but ${bName} have ${b.length}; they must match`,
      { details: { metric: name, labels: a.length, [bName]: b.length } },
    );
  }
  if (a.length === 0) {
    throw new MortarError('INVALID_ARGUMENT', `${name}: no rows to score (empty input)`, {
      details: { metric: name },
    });
  }
  for (const [v, what] of [
    [a, 'labels'],
    [b, bName],
  ] as const) {
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i]!)) {
        throw new MortarError('INVALID_ARGUMENT', `${name}: ${what}[${i}] is NaN`, {
          details: { metric: name, field: what, row: i },
        });
      }
    }
  }
}

/** Fraction of rows where `yPred[i] === yTrue[i]`. */
export function accuracy(yTrue: Vector, yPred: Vector): number {
  check('accuracy', yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/** A confusion matrix: `matrix[i][j]` counts rows with true label `labels[i]` predicted `labels[j]`. */
export interface ConfusionMatrix {
  readonly labels: readonly number[];
  readonly matrix: readonly (readonly number[])[];
}

/**
 * The confusion matrix (rows: true label, columns: predicted label, as scikit-learn's).
 * @param labels the label order; defaults to every label seen, sorted ascending.
 */
export function confusionMatrix(
  yTrue: Vector,
  yPred: Vector,
  labels?: readonly number[],
): ConfusionMatrix {
  check('confusionMatrix', yTrue, yPred);
  const ls =
    labels ?? [...new Set([...Array.from(yTrue), ...Array.from(yPred)])].sort((a, b) => a - b);
  const at = new Map(ls.map((l, i) => [l, i]));
  const m = ls.map(() => new Array<number>(ls.length).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const r = at.get(yTrue[i]!);
    const c = at.get(yPred[i]!);
    if (r !== undefined && c !== undefined) m[r]![c]!++;
  }
  return { labels: ls, matrix: m };
}

/** Averaging of precision/recall/F1 over classes. */
export type Average = 'binary' | 'macro' | 'micro';

/** Precision, recall and F1 of one averaging. */
export interface PrecisionRecallF1 {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1Of = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/**
 * Precision, recall and F1.
 * - `binary` (default): of the class `positive` (default 1).
 * - `macro`: the unweighted mean over every label seen of each class's precision, recall and F1
 *   (F1 averaged per class, as scikit-learn does, not the F1 of the averages).
 * - `micro`: from the total true/false positives over all classes (equals accuracy for
 *   single-label data).
 */
export function precisionRecallF1(
  yTrue: Vector,
  yPred: Vector,
  options: { average?: Average; positive?: number } = {},
): PrecisionRecallF1 {
  check('precisionRecallF1', yTrue, yPred);
  const average = options.average ?? 'binary';
  const { labels, matrix } = confusionMatrix(yTrue, yPred);
  const perClass = labels.map((_, k) => {
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < labels.length; i++) {
      predicted += matrix[i]![k]!;
      actual += matrix[k]![i]!;
    }
    const tp = matrix[k]![k]!;
    return { tp, fp: predicted - tp, fn: actual - tp };
  });
  if (average === 'binary') {
    const pos = options.positive ?? 1;
    const k = labels.indexOf(pos);
    if (k < 0) return { precision: 0, recall: 0, f1: 0 };
    const c = perClass[k]!;
    const p = ratio(c.tp, c.tp + c.fp);
    const r = ratio(c.tp, c.tp + c.fn);
    return { precision: p, recall: r, f1: f1Of(p, r) };
  }
  if (average === 'micro') {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of perClass) {
      tp += c.tp;
      fp += c.fp;
      fn += c.fn;
    }
    const p = ratio(tp, tp + fp);
    const r = ratio(tp, tp + fn);
    return { precision: p, recall: r, f1: f1Of(p, r) };
  }
  if (average !== 'macro') {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `precisionRecallF1: unknown average "${String(average)}"; use binary, macro or micro`,
    );
  }
  let sp = 0;
  let sr = 0;
  let sf = 0;
  for (const c of perClass) {
    const p = ratio(c.tp, c.tp + c.fp);
    const r = ratio(c.tp, c.tp + c.fn);
    sp += p;
    sr += r;
    sf += f1Of(p, r);
  }
  const n = perClass.length;
  return { precision: sp / n, recall: sr / n, f1: sf / n };
}

/**
 * Area under the ROC curve for binary labels and real-valued scores (higher = more positive).
 * Tied scores count one half (the Mann-Whitney U statistic with average ranks), which equals the
 * trapezoidal area scikit-learn reports. Throws when only one class is present.
 */
export function rocAuc(yTrue: Vector, scores: Vector, options: { positive?: number } = {}): number {
  check('rocAuc', yTrue, scores, 'scores');
  const pos = options.positive ?? 1;
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]!] === pos) {
        nPos++;
        rankSum += avgRank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `rocAuc: needs both classes, got ${nPos} positive and ${nNeg} negative rows`,
      { details: { positive: nPos, negative: nNeg } },
    );
  }
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Root mean squared error. */
export function rmse(yTrue: Vector, yPred: Vector): number {
  check('rmse', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const d = yTrue[i]! - yPred[i]!;
    s += d * d;
  }
  return Math.sqrt(s / yTrue.length);
}

/** Mean absolute error. */
export function mae(yTrue: Vector, yPred: Vector): number {
  check('mae', yTrue, yPred);
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) s += Math.abs(yTrue[i]! - yPred[i]!);
  return s / yTrue.length;
}

/**
 * Mean binary cross-entropy of probabilities `p` (of the positive class), clipped to
 * [eps, 1 - eps] (default eps 1e-15, as scikit-learn 1.2).
 */
export function logLoss(
  yTrue: Vector,
  p: Vector,
  options: { positive?: number; eps?: number } = {},
): number {
  check('logLoss', yTrue, p, 'probabilities');
  const pos = options.positive ?? 1;
  const eps = options.eps ?? 1e-15;
  let s = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const q = Math.min(1 - eps, Math.max(eps, p[i]!));
    s -= yTrue[i] === pos ? Math.log(q) : Math.log(1 - q);
  }
  return s / yTrue.length;
}

/** The price of each kind of error; both must be >= 0. */
export interface ErrorCosts {
  /** Cost of predicting positive when the truth is negative. */
  readonly falsePositive: number;
  /** Cost of predicting negative when the truth is positive. */
  readonly falseNegative: number;
}

/** Total and mean cost of a set of binary predictions. */
export interface CostResult {
  readonly cost: number;
  readonly meanCost: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

function checkCosts(name: string, costs: ErrorCosts): void {
  for (const k of ['falsePositive', 'falseNegative'] as const) {
    const v = costs[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `${name}: cost ${k} must be a finite number >= 0, got ${String(v)}`,
        {
          details: { parameter: k },
        },
      );
    }
  }
}

/**
 * The cost of binary predictions: `falsePositive * FP + falseNegative * FN`.
 * @example cost([1, 0, 1], [0, 1, 1], { falsePositive: 1, falseNegative: 5 }).cost === 6
 */
export function cost(
  yTrue: Vector,
  yPred: Vector,
  costs: ErrorCosts,
  options: { positive?: number } = {},
): CostResult {
  check('cost', yTrue, yPred);
  checkCosts('cost', costs);
  const pos = options.positive ?? 1;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i] === pos;
    const p = yPred[i] === pos;
    if (p && !t) fp++;
    else if (t && !p) fn++;
  }
  const c = costs.falsePositive * fp + costs.falseNegative * fn;
  return { cost: c, meanCost: c / yTrue.length, falsePositives: fp, falseNegatives: fn };
}

/** The threshold minimizing the cost, and that cost. */
export interface ThresholdResult extends CostResult {
  /** Predict positive when `score >= threshold` (Infinity: never positive). */
  readonly threshold: number;
}

/**
 * The decision threshold on `scores` that minimizes the cost of {@link cost}: rows with
 * `score >= threshold` are predicted positive. Every distinct score (and +Infinity, "never
 * positive") is tried; among equal costs the highest threshold wins.
 */
export function minCostThreshold(
  yTrue: Vector,
  scores: Vector,
  costs: ErrorCosts,
  options: { positive?: number } = {},
): ThresholdResult {
  check('minCostThreshold', yTrue, scores, 'scores');
  checkCosts('minCostThreshold', costs);
  const pos = options.positive ?? 1;
  const n = yTrue.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === pos) nPos++;
  // Threshold +Infinity: everything negative.
  let fp = 0;
  let fn = nPos;
  let best = { threshold: Infinity, fp, fn, cost: costs.falseNegative * fn };
  for (let i = 0; i < n;) {
    const s = scores[order[i]!]!;
    let j = i;
    while (j < n && scores[order[j]!] === s) {
      if (yTrue[order[j]!] === pos) fn--;
      else fp++;
      j++;
    }
    const c = costs.falsePositive * fp + costs.falseNegative * fn;
    if (c < best.cost) best = { threshold: s, fp, fn, cost: c };
    i = j;
  }
  return {
    threshold: best.threshold,
    cost: best.cost,
    meanCost: best.cost / n,
    falsePositives: best.fp,
    falseNegatives: best.fn,
  };
}
