import type { JsonValue } from '../../core/json.js';
import type { Rng } from '../../core/rng.js';

/** Which arms (member models) answer one request, and how their answers combine. */
export interface Selection {
  /** Indexes of the arms to query, ascending. */
  readonly arms: readonly number[];
  /** Combination weight of each queried arm (same order as `arms`, summing to 1). */
  readonly weights: readonly number[];
  /** The probability with which each arm of `arms` was chosen (for importance weighting). */
  readonly probs: readonly number[];
}

/**
 * A model-selection policy over `arms` member models, updated from feedback (Clipper's model
 * selection layer). Pure: randomness comes from the `Rng` passed in, time from nowhere.
 *
 * Contract:
 * - `select` returns at least one arm; single-model policies (Exp3, epsilon-greedy, UCB,
 *   split) return exactly one with weight 1; ensembles (Exp4) return several whose weights sum
 *   to 1.
 * - `update` receives a selection this bandit made and a reward in [0, 1] for each of its arms
 *   that answered (`undefined` for one that did not: a straggler); higher is better. Feedback
 *   may arrive late and in any order, or never.
 * - `weights` reports the current preference over all arms (sums to 1), for metrics.
 * - Not thread-safe; one instance per selection model.
 */
export interface Bandit {
  readonly kind: string;
  readonly arms: number;
  select(rng: Rng): Selection;
  update(selection: Selection, rewards: readonly (number | undefined)[]): void;
  weights(): number[];
  toConfig(): JsonValue;
}

/** Samples an index from the probability vector `p` (sums to 1). */
export function sample(p: readonly number[], rng: Rng): number {
  let u = rng.float();
  for (let i = 0; i < p.length; i++) {
    u -= p[i]!;
    if (u < 0) return i;
  }
  return p.length - 1;
}

/** `x / sum(x)`. */
export function normalize(x: readonly number[]): number[] {
  const s = x.reduce((a, b) => a + b, 0);
  return s > 0 ? x.map((v) => v / s) : x.map(() => 1 / x.length);
}

/** Softmax of log-weights (stable). */
export function softmax(logw: readonly number[]): number[] {
  const m = Math.max(...logw);
  return normalize(logw.map((l) => Math.exp(l - m)));
}

/** A one-arm selection. */
export function one(arm: number, prob: number): Selection {
  return { arms: [arm], weights: [1], probs: [prob] };
}
