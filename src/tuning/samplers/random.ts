/**
 * Random search: every parameter drawn independently and uniformly (log-uniformly where `log`;
 * every grid value equally likely for ints and stepped floats).
 */
import { Rng } from '../../core/rng.js';
import { fromUnit, type Distribution, type ParamValue } from '../distributions.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { resolveSeed } from './search-space.js';

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Seed; a random one if absent (recorded in `toConfig()`). */
  readonly seed?: number;
}

/**
 * The random sampler.
 * @example new Study({ sampler: new RandomSampler({ seed: 1 }) })
 */
export class RandomSampler implements Sampler {
  readonly kind = 'random';
  readonly seed: number;
  private readonly rng: Rng;

  constructor(opts: RandomSamplerOptions = {}) {
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
  }

  inferRelativeSearchSpace(): RelativeSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(
    _study: unknown,
    _trial: unknown,
    _name: string,
    distribution: Distribution,
  ): ParamValue {
    return fromUnit(distribution, this.rng.float());
  }

  toConfig(): { seed: number } {
    return { seed: this.seed };
  }
}
