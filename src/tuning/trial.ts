/**
 * Trials as immutable values ({@link FrozenTrial}, Optuna's FrozenTrial) and the read-only view
 * of a study that samplers and pruners receive ({@link StudyView}).
 */
import type { JsonValue } from '../core/json.js';
import type { Distribution, ParamValue } from './distributions.js';

/** Lifecycle of a trial: waiting (enqueued) -> running -> complete | pruned | failed. */
export type TrialState = 'waiting' | 'running' | 'complete' | 'pruned' | 'failed';
/** The states a trial can finish in. */
export type FinishedState = 'complete' | 'pruned' | 'failed';
/** Every trial state. */
export const TRIAL_STATES: readonly TrialState[] = [
  'waiting',
  'running',
  'complete',
  'pruned',
  'failed',
];

/** Optimization direction of one objective. */
export type Direction = 'minimize' | 'maximize';

/** One `trial.report(step, value)`. */
export interface IntermediateValue {
  readonly step: number;
  readonly value: number;
}

/** An immutable snapshot of a trial. Every field is read-only and frozen. */
export interface FrozenTrial {
  /** 0-based, unique and dense within a study, in creation order. */
  readonly number: number;
  readonly state: TrialState;
  /** External parameter values, in suggestion order. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  /** Objective values (one per direction) once complete; `undefined` otherwise. */
  readonly values: readonly number[] | undefined;
  /** Reports, sorted by step (a step reported twice keeps its first value, as in Optuna). */
  readonly intermediate: readonly IntermediateValue[];
  /** Extra metrics given at tell (`latency_ms`, ...); constraints read them. */
  readonly metrics: Readonly<Record<string, number>>;
  /**
   * Constraint violations (one per study constraint; <= 0 means satisfied), computed at tell;
   * `undefined` when the study has no constraints or the trial is not finished.
   */
  readonly constraints: readonly number[] | undefined;
  readonly userAttrs: Readonly<Record<string, JsonValue>>;
  /** Attributes for samplers and the system (`fixed_params`, `cmaes:generation`, `fail_reason`). */
  readonly systemAttrs: Readonly<Record<string, JsonValue>>;
  /** Epoch ms at creation (waiting) or start (running). */
  readonly startedAt: number | undefined;
  /** Epoch ms when finished. */
  readonly finishedAt: number | undefined;
}

/** True if the trial is finished. */
export function isFinished(t: FrozenTrial): boolean {
  return t.state === 'complete' || t.state === 'pruned' || t.state === 'failed';
}

/** True if the trial satisfies every constraint (trials without constraints are feasible). */
export function isFeasible(t: FrozenTrial): boolean {
  return t.constraints === undefined || t.constraints.every((c) => c <= 0);
}

/** Sum of positive constraint violations (0 when feasible). */
export function totalViolation(t: FrozenTrial): number {
  let s = 0;
  for (const c of t.constraints ?? []) if (c > 0) s += c;
  return s;
}

/** The last reported intermediate value, or `undefined`. */
export function lastIntermediate(t: FrozenTrial): IntermediateValue | undefined {
  return t.intermediate[t.intermediate.length - 1];
}

/** The value reported at `step`, or `undefined` (binary search). */
export function intermediateAt(t: FrozenTrial, step: number): number | undefined {
  const xs = t.intermediate;
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = xs[mid] as IntermediateValue;
    if (m.step === step) return m.value;
    if (m.step < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/**
 * The read-only study that samplers and pruners see. `trials()` is a snapshot: for a sampler, the
 * study as it was at `ask` (including other running trials with the params they had then, and the
 * current trial itself as `running`); for a pruner, as it is at `shouldPrune`.
 */
export interface StudyView {
  readonly name: string;
  readonly directions: readonly Direction[];
  /** Trials ordered by number, optionally filtered by state. Do not mutate. */
  trials(states?: readonly TrialState[]): readonly FrozenTrial[];
}

/** Freezes `v` and everything reachable from it (already-frozen objects are skipped). */
function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

/** Deep-freezes a trial (the journal reducer calls this on every snapshot) and returns it. */
export function freezeTrial(t: FrozenTrial): FrozenTrial {
  deepFreeze(t.params);
  deepFreeze(t.distributions);
  deepFreeze(t.values);
  deepFreeze(t.intermediate);
  deepFreeze(t.metrics);
  deepFreeze(t.constraints);
  deepFreeze(t.userAttrs);
  deepFreeze(t.systemAttrs);
  return Object.freeze(t);
}
