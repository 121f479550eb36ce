/**
 * The sampler contract (Optuna's BaseSampler): three required methods, two optional hooks.
 */
import type { JsonValue } from '../../core/json.js';
import type { Pluggable } from '../../core/registry.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FinishedState, FrozenTrial, StudyView } from '../trial.js';

/** Parameter name -> distribution: the space a sampler samples jointly. */
export type RelativeSpace = Readonly<Record<string, Distribution>>;

/**
 * Suggests parameter values.
 *
 * **Call order**, for each trial the study asks for:
 * 1. `beforeTrial(study, trial)` (optional); it may return system attributes to store on the
 *    trial (e.g. a CMA-ES generation), which later calls see in `trial.systemAttrs`;
 * 2. `inferRelativeSearchSpace(study, trial)`, then `sampleRelative(study, trial, space)` once;
 * 3. for each `suggest*` whose name is not in the relative result (or whose distribution differs
 *    from the relative space's): `sampleIndependent(study, trial, name, distribution)`;
 * 4. after the trial is told: `afterTrial(study, trial, state, values)` (optional).
 * Enqueued (fixed) parameters bypass the sampler entirely.
 *
 * **Study view:** `study.trials()` is the snapshot taken at ask time: finished trials, other
 * running trials with the params they had (pending-aware samplers use them, e.g. the constant
 * liar), and the current trial itself as `running`. Filter by state and by `trial.number`.
 *
 * **Thread safety:** one sampler instance may serve many concurrent trials of one study in one
 * process (calls are synchronous and never interleave), but holds mutable state (its Rng); give
 * each process its own instance, seeded differently, for parallel workers.
 *
 * **Immutability:** never mutate `study`, `trial` or distributions; return fresh objects.
 *
 * **Determinism:** with the same seed, the same sequence of calls returns the same values.
 *
 * **Errors:** throw MortarError `INVALID_ARGUMENT` for a distribution or configuration the
 * sampler cannot handle (e.g. a grid that lacks the parameter). Returned values must satisfy
 * `contains(distribution, value)`; the study checks this and throws `INTERNAL` otherwise.
 */
export interface Sampler extends Pluggable {
  /** The space to sample jointly for this trial (often the intersection of past trials' spaces). */
  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): RelativeSpace;
  /** Values for (a subset of) `space`; `{}` to leave everything to `sampleIndependent`. */
  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue>;
  /** One value for a parameter outside the relative space. */
  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): ParamValue;
  /** Called when a trial is created, before any sampling. May return system attributes to store. */
  beforeTrial?(study: StudyView, trial: FrozenTrial): Readonly<Record<string, JsonValue>> | void;
  /** Called after a trial is told (any finished state). */
  afterTrial?(
    study: StudyView,
    trial: FrozenTrial,
    state: FinishedState,
    values: readonly number[] | undefined,
  ): void;
}
