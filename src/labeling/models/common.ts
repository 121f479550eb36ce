import { MortarError } from '../../core/errors.js';
import type { JsonObject } from '../../core/json.js';
import { Rng } from '../../core/rng.js';
import { checkCardinality, type LabelMatrix } from '../matrix.js';
import type { FitOptions, LabelModel, LabelModelState, TiePolicy } from './label-model.js';

/** The resolved inputs of a fit. */
export interface FitSetup {
  readonly k: number;
  /** Given or uniform class balance; `estimate` when the model should learn it. */
  readonly balance: Float64Array;
  readonly estimateBalance: boolean;
  readonly correlations: readonly (readonly [number, number])[];
}

/** Validates fit options against `L`. */
export function setupFit(
  model: { kind: string; supportsCorrelations: boolean },
  L: LabelMatrix,
  opts: FitOptions,
  configK: number | undefined,
  defaultBalance: 'uniform' | 'estimate',
): FitSetup {
  const k = opts.cardinality ?? configK ?? Math.max(2, L.minCardinality());
  checkCardinality(L, k);
  const cb = opts.classBalance ?? defaultBalance;
  let balance = new Float64Array(k).fill(1 / k);
  if (Array.isArray(cb)) {
    const arr = cb as readonly number[];
    const sum = arr.reduce((a, b) => a + b, 0);
    if (arr.length !== k || arr.some((p) => !(p > 0)) || Math.abs(sum - 1) > 1e-6) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `classBalance must be ${k} positive probabilities summing to 1 (one per class), got [${arr.join(', ')}]`,
        { details: { classBalance: [...arr], cardinality: k } },
      );
    }
    balance = Float64Array.from(arr);
  }
  const correlations = opts.correlations ?? [];
  if (correlations.length > 0 && !model.supportsCorrelations) {
    throw new MortarError(
      'UNSUPPORTED',
      `label model "${model.kind}" does not model correlated LFs; use matrix-completion or triplet`,
      {
        details: { model: model.kind },
      },
    );
  }
  for (const [a, b] of correlations) {
    if (!(
      Number.isInteger(a) &&
      Number.isInteger(b) &&
      a >= 0 &&
      b >= 0 &&
      a < L.m &&
      b < L.m &&
      a !== b
    )) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `correlated LF pair [${a}, ${b}] is not two distinct LF columns in 0..${L.m - 1}`,
      );
    }
  }
  return { k, balance, estimateBalance: cb === 'estimate', correlations };
}

/** Checks a matrix handed to predictProba. */
export function checkPredict(
  model: { kind: string; cardinality: number },
  lfNames: readonly string[],
  L: LabelMatrix,
): void {
  if (model.cardinality === 0) {
    throw new MortarError(
      'FAILED_PRECONDITION',
      `label model "${model.kind}" is not fitted; call fit(L) first`,
    );
  }
  if (L.m !== lfNames.length) {
    throw new MortarError(
      'INVALID_ARGUMENT',
      `label matrix has ${L.m} LF columns but the "${model.kind}" model was fitted on ${lfNames.length} (${lfNames.join(', ')})`,
      { details: { got: L.m, expected: lfNames.length } },
    );
  }
  checkCardinality(L, model.cardinality);
}

/** Row-wise softmax of log-scores in place (n x k). */
export function softmaxRows(x: Float64Array, k: number): Float64Array {
  for (let o = 0; o < x.length; o += k) {
    let mx = -Infinity;
    for (let y = 0; y < k; y++) if (x[o + y]! > mx) mx = x[o + y]!;
    let s = 0;
    for (let y = 0; y < k; y++) s += x[o + y] = Math.exp(x[o + y]! - mx);
    for (let y = 0; y < k; y++) x[o + y]! /= s;
  }
  return x;
}

/** Rebuilds a base state object. */
export function baseState(
  m: LabelModel,
  config: JsonObject,
  lfNames: readonly string[],
  params: JsonObject,
): LabelModelState {
  return {
    kind: m.kind,
    config,
    cardinality: m.cardinality,
    lfNames: [...lfNames],
    classBalance: [...m.classBalance],
    params,
  };
}

/**
 * Hard labels from n x k probabilities. Classes within 1e-9 of the row's best tie, and the
 * policy decides: `abstain` -> -1, `lowest` -> the smallest class, `prior` -> the tied class with
 * the largest prior, `random` -> a tied class picked by a seeded generator.
 */
export function predictLabels(
  probs: Float64Array,
  k: number,
  policy: TiePolicy = 'abstain',
  opts: { prior?: readonly number[]; seed?: number } = {},
): Int32Array {
  const n = probs.length / k;
  const out = new Int32Array(n);
  const rng = new Rng(opts.seed ?? 0);
  const tied: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let best = -Infinity;
    for (let y = 0; y < k; y++) if (probs[o + y]! > best) best = probs[o + y]!;
    tied.length = 0;
    for (let y = 0; y < k; y++) if (probs[o + y]! >= best - 1e-9) tied.push(y);
    if (tied.length === 1) out[i] = tied[0]!;
    else if (policy === 'abstain') out[i] = -1;
    else if (policy === 'lowest') out[i] = tied[0]!;
    else if (policy === 'prior') {
      let pick = tied[0]!;
      for (const y of tied) if ((opts.prior?.[y] ?? 0) > (opts.prior?.[pick] ?? 0)) pick = y;
      out[i] = pick;
    } else out[i] = tied[rng.int(0, tied.length - 1)]!;
  }
  return out;
}

/** The pairs set of correlated LFs as `j * m + j'` keys (both orders). */
export function correlationSet(
  correlations: readonly (readonly [number, number])[],
  m: number,
): Set<number> {
  const s = new Set<number>();
  for (const [a, b] of correlations) {
    s.add(a * m + b);
    s.add(b * m + a);
  }
  return s;
}
