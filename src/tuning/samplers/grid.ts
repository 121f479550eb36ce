/**
 * Grid search over an explicit grid. Each trial takes one grid point (its index is stored as the
 * `grid_id` system attribute); points not yet taken by a waiting, running or finished trial
 * (failed ones are retried) go first, in an order shuffled by the seed. Once every point is
 * taken, points are revisited at random: check {@link GridSampler.isExhausted} to stop.
 */
import { MortarError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { contains, type Distribution, type ParamValue } from '../distributions.js';
import type { FrozenTrial, StudyView } from '../trial.js';
import type { RelativeSpace, Sampler } from './sampler.js';
import { resolveSeed } from './search-space.js';

/** Options of {@link GridSampler}. */
export interface GridSamplerOptions {
  /** Values to try for each parameter. */
  readonly searchSpace: Readonly<Record<string, readonly ParamValue[]>>;
  readonly seed?: number;
}

/**
 * The grid sampler.
 * @example new GridSampler({ searchSpace: { lr: [1e-3, 1e-2], layers: [1, 2, 3] } })
 */
export class GridSampler implements Sampler {
  readonly kind = 'grid';
  readonly seed: number;
  private readonly names: string[];
  private readonly values: ParamValue[][];
  private readonly order: number[];
  private readonly rng: Rng;
  /** Number of grid points. */
  readonly size: number;

  constructor(private readonly opts: GridSamplerOptions) {
    this.seed = resolveSeed(opts.seed);
    this.rng = new Rng(this.seed);
    this.names = Object.keys(opts.searchSpace ?? {}).sort();
    if (this.names.length === 0)
      throw new MortarError('INVALID_ARGUMENT', 'grid: searchSpace needs at least one parameter');
    this.values = this.names.map((n) => {
      const vs = opts.searchSpace[n] as readonly ParamValue[];
      if (!Array.isArray(vs) || vs.length === 0) {
        throw new MortarError(
          'INVALID_ARGUMENT',
          `grid: parameter "${n}" needs at least one value`,
          { details: { param: n } },
        );
      }
      return [...vs];
    });
    this.size = this.values.reduce((a, v) => a * v.length, 1);
    if (this.size > 10_000_000)
      throw new MortarError(
        'INVALID_ARGUMENT',
        `grid: ${this.size} points is too many (max 10 000 000)`,
      );
    this.order = new Rng(this.seed).shuffle(Array.from({ length: this.size }, (_, i) => i));
  }

  /** The params of grid point `id`. */
  point(id: number): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    let r = id;
    for (let j = this.names.length - 1; j >= 0; j--) {
      const vs = this.values[j] as ParamValue[];
      out[this.names[j] as string] = vs[r % vs.length] as ParamValue;
      r = Math.floor(r / vs.length);
    }
    return out;
  }

  private taken(study: StudyView, exclude: number): Set<number> {
    const ids = new Set<number>();
    for (const t of study.trials()) {
      if (t.number === exclude || t.state === 'failed') continue;
      const id = t.systemAttrs['grid_id'];
      if (typeof id === 'number') ids.add(id);
    }
    return ids;
  }

  /** True when every grid point has been taken by a non-failed trial. */
  isExhausted(study: StudyView): boolean {
    return this.taken(study, -1).size >= this.size;
  }

  beforeTrial(study: StudyView, trial: FrozenTrial): Record<string, number> {
    const taken = this.taken(study, trial.number);
    const free = this.order.find((id) => !taken.has(id));
    return { grid_id: free ?? this.rng.int(0, this.size - 1) };
  }

  inferRelativeSearchSpace(): RelativeSpace {
    return {};
  }

  sampleRelative(): Record<string, ParamValue> {
    return {};
  }

  sampleIndependent(
    _study: StudyView,
    trial: FrozenTrial,
    name: string,
    distribution: Distribution,
  ): ParamValue {
    const j = this.names.indexOf(name);
    if (j < 0) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `grid: parameter "${name}" is not in the grid (${this.names.join(', ')})`,
        {
          details: { param: name },
        },
      );
    }
    const id = trial.systemAttrs['grid_id'];
    if (typeof id !== 'number')
      throw new MortarError('INTERNAL', `grid: trial ${trial.number} has no grid_id`);
    const v = this.point(id)[name] as ParamValue;
    if (!contains(distribution, v)) {
      throw new MortarError(
        'INVALID_ARGUMENT',
        `grid: value ${JSON.stringify(v)} of "${name}" is outside ${JSON.stringify(distribution)}`,
        {
          details: { param: name },
        },
      );
    }
    return v;
  }

  toConfig(): { seed: number; searchSpace: Record<string, ParamValue[]> } {
    return {
      seed: this.seed,
      searchSpace: Object.fromEntries(
        this.names.map((n, j) => [n, this.values[j] as ParamValue[]]),
      ),
    };
  }
}
