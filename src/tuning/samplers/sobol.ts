/**
 * Scrambled Sobol' sequences (quasi-Monte Carlo), Optuna's QMCSampler with `qmc_type='sobol'`.
 *
 * Direction numbers: Joe and Kuo (2008), file new-joe-kuo-6.21201, dimensions 1-53. Scrambling:
 * a seeded linear matrix scramble plus a random digital shift (scipy's default), which keeps the
 * (t, m, s)-net structure. The first trial (no complete trial yet) is random; afterwards the
 * space of the first complete trial is sampled jointly, trial `n` taking point `n`, so parallel
 * workers and restarts never collide. Parameters outside that space, and beyond dimension 53,
 * are sampled at random.
 */
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { fromUnit, isSingle, type Distribution, type ParamValue } from '../distributions.js';
import type { FrozenTrial, StudyView } from '../trial.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { resolveSeed } from './search-space.js';

/** Joe-Kuo rows for dimensions 2..53: `s a m_1 .. m_s`. */
const JOE_KUO =
  '1 0 1|2 1 1 3|3 1 1 3 1|3 2 1 1 1|4 1 1 1 3 3|4 4 1 3 5 13|5 2 1 1 5 5 17|5 4 1 1 5 5 5|5 7 1 1 7 11 19|5 11 1 1 5 1 1|5 13 1 1 1 3 11|5 14 1 3 5 5 31|6 1 1 3 3 9 7 49|6 13 1 1 1 15 21 21|6 16 1 3 1 13 27 49|6 19 1 1 1 15 7 5|6 22 1 3 1 15 13 25|6 25 1 1 5 5 19 61|7 1 1 3 7 11 23 15 103|7 4 1 3 7 13 13 15 69|7 7 1 1 3 13 7 35 63|7 8 1 3 5 9 1 25 53|7 14 1 3 1 13 9 35 107|7 19 1 3 1 5 27 61 31|7 21 1 1 5 11 19 41 61|7 28 1 3 5 3 3 13 69|7 31 1 1 7 13 1 19 1|7 32 1 3 7 5 13 19 59|7 37 1 1 3 9 25 29 41|7 41 1 3 5 13 23 1 55|7 42 1 3 7 3 13 59 17|7 50 1 3 1 3 5 53 69|7 55 1 1 5 5 23 33 13|7 56 1 1 7 7 1 61 123|7 59 1 1 7 9 13 61 49|7 62 1 3 3 5 3 55 33|8 14 1 3 1 15 31 13 49 245|8 21 1 3 5 15 31 59 63 97|8 22 1 3 1 11 11 11 77 249|8 38 1 3 1 11 27 43 71 9|8 47 1 1 7 15 21 11 81 45|8 49 1 3 7 3 25 31 65 79|8 50 1 3 1 1 19 11 3 205|8 52 1 1 5 9 19 21 29 157|8 56 1 3 7 11 1 33 89 185|8 67 1 3 3 3 15 9 79 71|8 70 1 3 7 11 15 39 119 27|8 84 1 1 3 1 11 31 97 225|8 97 1 1 1 3 23 43 57 177|8 103 1 3 7 7 17 17 37 71|8 115 1 3 1 5 27 63 123 213|8 122 1 1 3 5 11 43 53 133';

/** Direction numbers `v[dim][bit]` (bit 0 is the most significant), 32 bits per dimension. */
const DIRECTIONS: readonly Uint32Array[] = (() => {
  const all: Uint32Array[] = [Uint32Array.from({ length: 32 }, (_, j) => (1 << (31 - j)) >>> 0)];
  for (const row of JOE_KUO.split('|')) {
    const [s, a, ...m] = row.split(' ').map(Number) as [number, number, ...number[]];
    const v = new Uint32Array(32);
    for (let j = 0; j < 32; j++) {
      if (j < s) {
        v[j] = ((m[j] as number) << (31 - j)) >>> 0;
        continue;
      }
      let x = (v[j - s] as number) ^ ((v[j - s] as number) >>> s);
      for (let k = 1; k < s; k++) if ((a >>> (s - 1 - k)) & 1) x ^= v[j - k] as number;
      v[j] = x >>> 0;
    }
    all.push(v);
  }
  return all;
})();

/** Number of dimensions with direction numbers. */
export const SOBOL_MAX_DIMS = DIRECTIONS.length;

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * A Sobol' point generator over `dims` dimensions; scrambled when `seed` is given.
 * @example new SobolSequence(2).point(3) // [0.75, 0.25]
 */
export class SobolSequence {
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;

  constructor(
    readonly dims: number,
    seed?: number,
  ) {
    if (!Number.isInteger(dims) || dims < 1 || dims > SOBOL_MAX_DIMS) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `sobol: dims must be an integer in 1..${SOBOL_MAX_DIMS}, got ${dims}`,
      );
    }
    this.shift = new Uint32Array(dims);
    if (seed === undefined) {
      this.v = DIRECTIONS.slice(0, dims);
      return;
    }
    const rng = new Rng(seed);
    this.v = [];
    for (let d = 0; d < dims; d++) {
      // Lower-triangular binary matrix with unit diagonal (rows MSB first), applied to every column.
      const rows = new Uint32Array(32);
      for (let i = 0; i < 32; i++) {
        const top = i === 0 ? 0 : (0xffffffff << (32 - i)) >>> 0;
        rows[i] = ((rng.nextUint32() & top) | (1 << (31 - i))) >>> 0;
      }
      const src = DIRECTIONS[d] as Uint32Array;
      const out = new Uint32Array(32);
      for (let j = 0; j < 32; j++) {
        let y = 0;
        for (let i = 0; i < 32; i++)
          if (parity((rows[i] as number) & (src[j] as number))) y |= 1 << (31 - i);
        out[j] = y >>> 0;
      }
      this.v.push(out);
      this.shift[d] = rng.nextUint32();
    }
  }

  /** Point `index` (an integer in [0, 2^32)), coordinates in [0, 1). */
  point(index: number): number[] {
    if (!Number.isInteger(index) || index < 0 || index >= 2 ** 32) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `sobol: index must be an integer in [0, 2^32), got ${index}`,
      );
    }
    const out: number[] = [];
    for (let d = 0; d < this.dims; d++) {
      const v = this.v[d] as Uint32Array;
      let x = this.shift[d] as number;
      for (let j = 0, i = index; i > 0; j++, i = Math.floor(i / 2))
        if (i % 2 === 1) x ^= v[j] as number;
      out.push((x >>> 0) / 4294967296);
    }
    return out;
  }
}

/** Options of {@link SobolSampler}. */
export interface SobolSamplerOptions {
  readonly seed?: number;
  /** Scramble the sequence (default true); unscrambled points start at the origin. */
  readonly scramble?: boolean;
}

/**
 * The quasi-random Sobol' sampler.
 * @example new SobolSampler({ seed: 3 })
 */
export class SobolSampler implements Sampler {
  readonly kind = 'sobol';
  readonly seed: number;
  private readonly scramble: boolean;
  private readonly rng: Rng;
  private seq: SobolSequence | undefined;

  constructor(opts: SobolSamplerOptions = {}) {
    this.seed = resolveSeed(opts.seed);
    this.scramble = opts.scramble ?? true;
    this.rng = new Rng(this.seed);
  }

  inferRelativeSearchSpace(study: StudyView): RelativeSpace {
    const first = study.trials(['complete'])[0];
    if (!first) return {};
    const names = Object.keys(first.distributions)
      .filter((n) => !isSingle(first.distributions[n] as Distribution))
      .sort()
      .slice(0, SOBOL_MAX_DIMS);
    return Object.fromEntries(names.map((n) => [n, first.distributions[n] as Distribution]));
  }

  sampleRelative(
    _study: StudyView,
    trial: FrozenTrial,
    space: RelativeSpace,
  ): Record<string, ParamValue> {
    const names = Object.keys(space);
    if (names.length === 0) return {};
    if (this.seq?.dims !== names.length) {
      this.seq = new SobolSequence(names.length, this.scramble ? this.seed : undefined);
    }
    const u = this.seq.point(trial.number);
    return Object.fromEntries(
      names.map((n, i) => [n, fromUnit(space[n] as Distribution, u[i] as number)]),
    );
  }

  sampleIndependent(
    _study: StudyView,
    _trial: FrozenTrial,
    _name: string,
    distribution: Distribution,
  ): ParamValue {
    return fromUnit(distribution, this.rng.float());
  }

  toConfig(): { seed: number; scramble: boolean } {
    return { seed: this.seed, scramble: this.scramble };
  }
}
