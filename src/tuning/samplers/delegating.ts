/**
 * The shared half of samplers that hand each trial to one of several child samplers (the
 * portfolio and the auto sampler). The choice is made once, in `beforeTrial`, and stored on the
 * trial under `tag`, so a trial is sampled by one child from start to end and a resumed study
 * replays the same choices; every later call is forwarded to that child.
 */
import type { JsonValue } from '../../core/json.js';
import type { Distribution, ParamValue } from '../distributions.js';
import type { FinishedState, FrozenTrial, StudyView } from '../trial.js';
import type { RelativeSpace, Sampler } from './sampler.js';

/** A sampler that delegates each trial to the child named by {@link DelegatingSampler.pick}. */
export abstract class DelegatingSampler<K extends string> implements Sampler {
  abstract readonly kind: string;
  abstract toConfig(): JsonValue;
  /** The system attribute that records a trial's child. */
  protected abstract readonly tag: string;
  /** The children by name. */
  protected abstract readonly delegates: Readonly<Record<K, Sampler>>;
  /** The child for trials whose tag is missing or unknown (e.g. written by another version). */
  protected abstract readonly fallback: K;
  /** Which child samples a new trial of `study`. */
  protected abstract pick(study: StudyView, trial: FrozenTrial): K;

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, JsonValue> {
    const choice = this.pick(study, trial);
    const tagged: FrozenTrial = {
      ...trial,
      systemAttrs: { ...trial.systemAttrs, [this.tag]: choice },
    };
    return { [this.tag]: choice, ...(this.delegates[choice].beforeTrial?.(study, tagged) ?? {}) };
  }

  inferRelativeSearchSpace(study: StudyView, trial: FrozenTrial): RelativeSpace {
    return this.of(trial).inferRelativeSearchSpace(study, trial);
  }

  sampleRelative(
    study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    return this.of(trial).sampleRelative(study, trial, space);
  }

  sampleIndependent(
    study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): ParamValue {
    return this.of(trial).sampleIndependent(study, trial, name, distribution);
  }

  afterTrial(
    study: StudyView,
    trial: FrozenTrial,
    state: FinishedState,
    values: readonly number[] | undefined,
  ): void {
    this.of(trial).afterTrial?.(study, trial, state, values);
  }

  /** The child that owns `trial`. */
  protected of(trial: FrozenTrial): Sampler {
    const c = trial.systemAttrs[this.tag];
    const known = typeof c === 'string' && Object.hasOwn(this.delegates, c);
    return this.delegates[known ? (c as K) : this.fallback];
  }
}
